"""Teams: organisation structure that SLA calendars, assignment, access rules and reports read.

Which channels a team covers is stored on the channel (`leads.Channel.teams`, read here as
`team.channels`), so this app stays below `leads`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.currency import CURRENCY_PATTERN, currency_code


class AssignmentMode(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Round-robin")
    POOL = "pool", _("Shared pool")


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
        verbose_name=_("manager"),
    )
    mode = models.CharField(
        _("assignment"),
        max_length=20,
        choices=AssignmentMode.choices,
        default=AssignmentMode.ROUND_ROBIN,
    )
    is_default = models.BooleanField(
        _("default team"),
        default=False,
        help_text=_("Takes leads from channels no team covers."),
    )
    reporting_currency = models.CharField(
        _("reporting currency"),
        max_length=3,
        blank=True,
        validators=[currency_code],
        help_text=_(
            "ISO code reports convert this team's amounts into, e.g. USD; empty for the "
            "workspace's default."
        ),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMember", related_name="teams"
    )

    class Meta:
        # The tables keep the names they had when teams lived in the handoff app.
        db_table = "handoff_team"
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="team_one_default",
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=AssignmentMode.values), name="team_mode_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(reporting_currency="")
                | models.Q(reporting_currency__regex=CURRENCY_PATTERN),
                name="team_reporting_currency_iso",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def currency_for_reports(self) -> str:
        """The team's reporting currency, or the workspace's when it names none."""
        return self.reporting_currency or settings.ACCORD_REPORTING_CURRENCY


class TeamMember(models.Model):
    """A rep in a team, with the round-robin state that must survive restarts.

    `credit` is the member's smooth weighted round-robin balance: on each assignment every
    eligible member gains their weight, the richest is chosen and pays back the total.
    """

    team = models.ForeignKey(
        Team, models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("rep"),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, help_text=_("Relative share of new leads, e.g. 7 and 3 for 70/30.")
    )
    cap = models.PositiveSmallIntegerField(
        _("open handoff cap"),
        null=True,
        blank=True,
        help_text=_("No new leads while this many are open; empty for no cap."),
    )
    is_away = models.BooleanField(_("away"), default=False)
    credit = models.IntegerField(default=0, editable=False)

    class Meta:
        db_table = "handoff_teammember"
        ordering = ["team", "user__username"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="teammember_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="teammember_weight_pos"),
        ]

    def __str__(self):
        return f"{self.user} · {self.team}"
