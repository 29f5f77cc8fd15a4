"""SLA policies, each team's business hours, and the clocks that time every handoff."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.i18n import shipped
from leads.models import ChannelKind


class Step(models.TextChoices):
    FIRST_TOUCH = "mql_to_first_touch", _("MQL to first touch")
    ACCEPT_OR_RETURN = "mql_to_accept_or_return", _("MQL to accept or return")
    SQL_DECISION = "sal_to_sql_decision", _("SAL to SQL decision")


class Counting(models.TextChoices):
    BUSINESS = "business", _("Business hours")
    CALENDAR = "calendar", _("Calendar time")


class SlaPolicy(models.Model):
    """How fast one step of a handoff must happen, optionally narrowed to some leads.

    Among the active policies of a step that match a handoff, the one with the most conditions
    wins; equally specific ones are ranked by priority (higher first), then age.
    """

    name = models.CharField(_("name"), max_length=100)
    step = models.CharField(_("step"), max_length=30, choices=Step.choices)
    target_minutes = models.PositiveIntegerField(
        _("target (minutes)"), help_text=_("e.g. 240 for four hours.")
    )
    counting = models.CharField(
        _("counts"), max_length=10, choices=Counting.choices, default=Counting.BUSINESS
    )
    at_risk_percent = models.PositiveSmallIntegerField(
        _("at risk after (%)"),
        default=75,
        help_text=_("Share of the target after which a running clock shows as at risk."),
    )
    channel = models.ForeignKey(
        "leads.Channel",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only channel"),
    )
    channel_kind = models.CharField(
        _("only channel kind"), max_length=20, choices=ChannelKind.choices, blank=True
    )
    min_score = models.IntegerField(_("only score at least"), null=True, blank=True)
    team = models.ForeignKey(
        "teams.Team",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only team"),
    )
    requires_request = models.BooleanField(
        _("only contact or demo requests"),
        default=False,
        help_text=_("Matches leads that asked to be contacted or for a demo."),
    )
    priority = models.IntegerField(
        _("priority"), default=0, help_text=_("Breaks ties between equally specific policies.")
    )
    notify_manager = models.BooleanField(_("notify the team manager on breach"), default=True)
    return_to_pool = models.BooleanField(
        _("put the handoff back in the team pool on breach"), default=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["step", "-is_active", "-priority", "name"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.CheckConstraint(condition=Q(step__in=Step.values), name="slapolicy_step_valid"),
            models.CheckConstraint(
                condition=Q(counting__in=Counting.values), name="slapolicy_counting_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_minutes__gte=1), name="slapolicy_target_positive"
            ),
            models.CheckConstraint(
                condition=Q(at_risk_percent__gte=1, at_risk_percent__lte=99),
                name="slapolicy_at_risk_share_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel_kind="") | Q(channel_kind__in=ChannelKind.values),
                name="slapolicy_channel_kind_valid",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """A default policy's name in the reader's language; a manager's own name as written."""
        return shipped(self.name)

    @property
    def specificity(self) -> int:
        """How many conditions narrow the policy: more conditions, more specific."""
        return sum(
            (
                self.channel_id is not None,
                bool(self.channel_kind),
                self.min_score is not None,
                self.team_id is not None,
                self.requires_request,
            )
        )


class TeamCalendar(models.Model):
    """When a team's clocks run; a team without one uses the default calendar."""

    team = models.OneToOneField(
        "teams.Team", models.CASCADE, related_name="calendar", verbose_name=_("team")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, help_text=_("e.g. Asia/Bangkok"))
    holiday_country = models.CharField(
        _("public holidays of"), max_length=3, blank=True, help_text=_("Country code, e.g. TH")
    )
    holiday_subdiv = models.CharField(
        _("subdivision"), max_length=10, blank=True, help_text=_("Optional, e.g. BY for Bavaria")
    )
    # Bumped by every edit of the calendar or its rows: the cached BusinessCalendar keys on it.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("team calendar")
        verbose_name_plural = _("team calendars")
        constraints = [
            models.CheckConstraint(
                condition=~Q(holiday_country="") | Q(holiday_subdiv=""),
                name="teamcalendar_subdiv_needs_country",
            ),
        ]

    def __str__(self):
        return str(self.team)


class WorkingSpan(models.Model):
    """One stretch of working hours on one weekday, on the team's wall clock."""

    calendar = models.ForeignKey(
        TeamCalendar, models.CASCADE, related_name="spans", verbose_name=_("calendar")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), help_text=_("0 is Monday"))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), null=True, blank=True, help_text=_("Empty: midnight"))

    class Meta:
        ordering = ["calendar", "weekday", "opens"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="workingspan_weekday_valid"),
            models.CheckConstraint(
                condition=Q(closes__isnull=True) | Q(closes__gt=F("opens")),
                name="workingspan_closes_after_opens",
            ),
            models.UniqueConstraint(
                fields=["calendar", "weekday", "opens"], name="workingspan_unique_start"
            ),
        ]

    def __str__(self):
        closes = f"{self.closes:%H:%M}" if self.closes else "24:00"
        return f"{self.weekday}: {self.opens:%H:%M}-{closes}"


class ClosedDate(models.Model):
    """A day the team does not work beyond public holidays (company day off, office move)."""

    calendar = models.ForeignKey(
        TeamCalendar, models.CASCADE, related_name="closed_dates", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["calendar", "date"]
        verbose_name = _("closed date")
        verbose_name_plural = _("closed dates")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="closeddate_unique"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.note}".strip()


class ExceptionKind(models.TextChoices):
    WORKING = "working", pgettext_lazy("an extra working day a manager adds", "Working day")
    REDUCED = "reduced", _("Reduced hours")


class CalendarException(models.Model):
    """A manager's change to the weekly hours on some dates: an extra working day, or a range
    of reduced hours (Ramadan) whose spans replace the weekly ones on the days the team works.

    A working day without spans has the team's normal hours. Ranges of one calendar never
    overlap and never share a date with its closed dates (sla.calendars checks, under the
    calendar row's lock).
    """

    calendar = models.ForeignKey(
        TeamCalendar, models.CASCADE, related_name="exceptions", verbose_name=_("calendar")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["calendar", "first_day"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ExceptionKind.values), name="calendarexception_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="calendarexception_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="working") | Q(last_day=F("first_day")),
                name="calendarexception_working_is_one_day",
            ),
            models.UniqueConstraint(
                fields=["calendar", "first_day"], name="calendarexception_unique_date"
            ),
        ]

    def __str__(self):
        if self.first_day == self.last_day:
            return f"{self.first_day:%Y-%m-%d} {self.get_kind_display()}"
        return f"{self.first_day:%Y-%m-%d}–{self.last_day:%Y-%m-%d} {self.get_kind_display()}"


class ExceptionSpan(models.Model):
    """One stretch of working hours on each day of a calendar exception."""

    exception = models.ForeignKey(
        CalendarException, models.CASCADE, related_name="spans", verbose_name=_("exception")
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), null=True, blank=True, help_text=_("Empty: midnight"))

    class Meta:
        ordering = ["exception", "opens"]
        verbose_name = _("exception hours")
        verbose_name_plural = _("exception hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__isnull=True) | Q(closes__gt=F("opens")),
                name="exceptionspan_closes_after_opens",
            ),
            models.UniqueConstraint(
                fields=["exception", "opens"], name="exceptionspan_unique_start"
            ),
        ]

    def __str__(self):
        closes = f"{self.closes:%H:%M}" if self.closes else "24:00"
        return f"{self.opens:%H:%M}-{closes}"


class ClockState(models.TextChoices):
    RUNNING = "running", _("On time")
    AT_RISK = "at_risk", _("At risk")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")


RUNNING_STATES = (ClockState.RUNNING, ClockState.AT_RISK)


class Clock(models.Model):
    """One step of one handoff against its policy.

    Target, counting and at-risk share are copied from the policy when the clock starts, so a
    later edit of the policy applies to new clocks only.
    """

    handoff = models.ForeignKey(
        "handoff.Handoff", models.CASCADE, related_name="clocks", verbose_name=_("handoff")
    )
    step = models.CharField(_("step"), max_length=30, choices=Step.choices)
    policy = models.ForeignKey(
        SlaPolicy, models.PROTECT, related_name="clocks", verbose_name=_("policy")
    )
    target_minutes = models.PositiveIntegerField(_("target (minutes)"))
    counting = models.CharField(_("counts"), max_length=10, choices=Counting.choices)
    at_risk_percent = models.PositiveSmallIntegerField(_("at risk after (%)"))
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    at_risk_at = models.DateTimeField(_("at risk from"))
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    # Business (or calendar) minutes from start to stop, in the clock's own counting: the
    # reports' response times, computed once when the step happens.
    elapsed_minutes = models.PositiveIntegerField(_("time taken (minutes)"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ClockState.choices, default=ClockState.RUNNING
    )
    # The rep who held the handoff when the clock was decided (breached or stopped), kept even
    # if the breach sends the handoff back to the pool: "who breached" in the report.
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rep"),
    )
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # When the rep holding the handoff was told the clock is at risk: once per clock.
    warned_at = models.DateTimeField(_("rep warned at"), null=True, blank=True)

    class Meta:
        ordering = ["handoff", "started_at", "id"]
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        constraints = [
            models.UniqueConstraint(fields=["handoff", "step"], name="clock_one_per_step"),
            models.CheckConstraint(condition=Q(step__in=Step.values), name="clock_step_valid"),
            models.CheckConstraint(
                condition=Q(state__in=ClockState.values), name="clock_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=F("started_at")), name="clock_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(at_risk_at__gte=F("started_at"), at_risk_at__lte=F("due_at")),
                name="clock_at_risk_within_target",
            ),
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True)
                | Q(stopped_at__gte=F("started_at"), state__in=["met", "breached"]),
                name="clock_stopped_is_decided",
            ),
            models.CheckConstraint(
                condition=Q(state="breached", breached_at__isnull=False)
                | (~Q(state="breached") & Q(breached_at__isnull=True)),
                name="clock_breached_has_time",
            ),
        ]
        indexes = [
            # sla.services.advance_clocks: running clocks past their due time.
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=["running", "at_risk"]),
                name="clock_running_due_idx",
            ),
            # sla.services.advance_clocks: running clocks past their at-risk time.
            models.Index(
                fields=["at_risk_at"],
                condition=Q(state="running"),
                name="clock_running_at_risk_idx",
            ),
            # sla.services.escalate_breaches: breaches nobody has been told about yet.
            models.Index(
                fields=["breached_at"],
                condition=Q(state="breached", escalated_at__isnull=True),
                name="clock_unescalated_idx",
            ),
            # sla.services.warn_reps: at-risk clocks whose rep has not been told yet.
            models.Index(
                fields=["at_risk_at"],
                condition=Q(state="at_risk", warned_at__isnull=True),
                name="clock_unwarned_idx",
            ),
            # The breach report filters on the start date.
            models.Index(fields=["started_at"], name="clock_started_idx"),
        ]

    def __str__(self):
        return f"{self.get_step_display()} · {self.handoff_id}"

    @property
    def is_running(self) -> bool:
        return self.state in RUNNING_STATES and self.stopped_at is None
