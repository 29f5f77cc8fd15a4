from functools import cached_property
from operator import itemgetter

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import localized


class Outcome(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    DISQUALIFIED = "disqualified", _("Disqualified")


class FirstTouchChannel(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", _("Email")
    SOCIAL = "social", _("Social")
    MEETING = "meeting", _("Meeting")
    # The messengers buyers in Thailand (LINE), China (WeChat), Russia (Telegram) and the Gulf
    # (WhatsApp) answer first.
    LINE = "line", _("LINE")
    WECHAT = "wechat", _("WeChat")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")


class ReasonKind(models.TextChoices):
    RETURN = "return", _("Return to marketing")
    DISQUALIFY = "disqualify", _("Disqualify")


class ReturnReason(models.Model):
    """Why sales closes a handoff without accepting it, or ends a SAL: a return to marketing
    (the lead goes back to nurture) or a disqualification (junk, competitor, student: it never
    should have been a lead). Managed by managers in one list, seeded by data migrations.

    One list with a kind rather than a second model: both kinds are chosen the same way (a code,
    a note when it is "other"), managed on the same page, stored on the same handoff column and
    counted side by side by the returns report.
    """

    kind = models.CharField(
        _("kind"), max_length=20, choices=ReasonKind.choices, default=ReasonKind.RETURN
    )
    code = models.SlugField(_("code"), max_length=50)
    label = models.CharField(_("label"), max_length=200)
    labels = models.JSONField(
        _("label in other languages"),
        default=dict,
        blank=True,
        help_text=_("The label in each language a rep may read, by language code."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="returnreason_code_per_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ReasonKind.values), name="returnreason_kind_valid"
            ),
        ]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self) -> str:
        """In the reader's language: the manager's label for it, else the shipped translation."""
        return localized(self.label, self.labels)


class Handoff(models.Model):
    """One pass of a lead through the SDR queue, from entering MQL to accept or return.

    The agreement version, score and explanation are snapshots: the queue shows why the lead was
    an MQL at that moment, whatever rescoring does later.
    """

    lead = models.ForeignKey(
        "leads.Lead", models.CASCADE, related_name="handoffs", verbose_name=_("lead")
    )
    agreement_version = models.PositiveIntegerField(_("agreement version"), null=True, blank=True)
    score = models.IntegerField(_("score"))
    explanation = models.JSONField(_("score explanation"), default=dict, blank=True)
    team = models.ForeignKey(
        "teams.Team",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="handoffs",
        verbose_name=_("team"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="handoffs",
        verbose_name=_("assignee"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.OPEN
    )
    created_at = models.DateTimeField(_("created at"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    first_touch_at = models.DateTimeField(_("first touch at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    disqualified_at = models.DateTimeField(_("disqualified at"), null=True, blank=True)
    # The reason of a return or a disqualification (of the matching kind).
    return_reason = models.ForeignKey(
        ReturnReason,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handoffs",
        verbose_name=_("return reason"),
    )
    return_note = models.TextField(_("return note"), blank=True)
    # While open, the earliest due time among its running SLA clocks (sla.services keeps it):
    # the queue's order, most urgent first. A decided handoff keeps the one it was decided under.
    sla_due_at = models.DateTimeField(_("due by"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("handoff")
        verbose_name_plural = _("handoffs")
        constraints = [
            models.UniqueConstraint(
                fields=["lead"],
                condition=models.Q(outcome="open"),
                name="handoff_one_open_per_lead",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="handoff_outcome_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="returned")
                | models.Q(return_reason__isnull=False, returned_at__isnull=False),
                name="handoff_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="disqualified")
                | models.Q(return_reason__isnull=False, disqualified_at__isnull=False),
                name="handoff_disqualified_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="accepted") | models.Q(accepted_at__isnull=False),
                name="handoff_accepted_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(sla_due_at__gte=models.F("created_at")),
                name="handoff_due_after_created",
            ),
        ]
        indexes = [
            # The queue, in its order (most urgent, then highest score): every open handoff
            # (managers), a rep's own (also their open load for round-robin caps and the team
            # page), and a team's pool. Each view reads its first rows straight off its index.
            models.Index(
                fields=["sla_due_at", "-score", "id"],
                condition=models.Q(outcome="open"),
                name="handoff_open_due_idx",
            ),
            models.Index(
                fields=["assignee", "sla_due_at", "-score", "id"],
                condition=models.Q(outcome="open"),
                name="handoff_open_assignee_idx",
            ),
            models.Index(
                fields=["team", "sla_due_at", "-score", "id"],
                condition=models.Q(outcome="open", assignee__isnull=True),
                name="handoff_pool_idx",
            ),
            # The returned-leads list, newest first.
            models.Index(
                fields=["-returned_at"],
                condition=models.Q(outcome="returned"),
                name="handoff_returned_idx",
            ),
        ]

    def __str__(self):
        return f"{self.lead} · {self.get_outcome_display()}"

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN

    @cached_property
    def top_reasons(self) -> list[dict]:
        """The explanation lines that gave the most points, for the queue row (copies, so that
        handoff.selectors.as_shown can word them in the reader's language)."""
        lines = [line for line in self.explanation.get("lines", []) if line.get("points", 0) > 0]
        return [dict(line) for line in sorted(lines, key=itemgetter("points"), reverse=True)[:3]]


class EventKind(models.TextChoices):
    OPENED = "opened", _("Entered the queue")
    ASSIGNED = "assigned", _("Assigned")
    CLAIMED = "claimed", _("Claimed")
    FIRST_TOUCH = "first_touch", _("First touch")
    ACCEPTED = "accepted", _("Accepted into SAL")
    RETURNED = "returned", _("Returned to marketing")
    DISQUALIFIED = "disqualified", _("Disqualified")
    REINSTATED = "reinstated", _("Reinstated")
    REASSIGNED = "reassigned", _("Reassigned")
    STATUS_CHANGED = "status_changed", _("Status changed")
    QUALIFICATION_SAVED = "qualification_saved", _("Qualification updated")
    PROMOTED = "promoted", _("Promoted to SQL")
    OPPORTUNITY_OPENED = "opportunity_opened", _("Opportunity opened")
    OPPORTUNITY_CHANGED = "opportunity_changed", _("Opportunity updated")


class HandoffEvent(models.Model):
    """The audit row of one action on a lead after MQL, shown in the lead's timeline."""

    lead = models.ForeignKey(
        "leads.Lead", models.CASCADE, related_name="handoff_events", verbose_name=_("lead")
    )
    handoff = models.ForeignKey(
        Handoff,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("handoff"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Empty when Accord acted."),
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=FirstTouchChannel.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("handoff event")
        verbose_name_plural = _("handoff events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values), name="handoffevent_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="first_touch")
                | models.Q(channel__in=FirstTouchChannel.values),
                name="handoffevent_first_touch_channel",
            ),
        ]
        indexes = [
            # The lead timeline.
            models.Index(fields=["lead", "-created_at"], name="handoffevent_lead_idx"),
            # handoff.selectors.sqls_for: the promotions, newest first.
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(kind="promoted"),
                name="handoffevent_promoted_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.lead_id}"
