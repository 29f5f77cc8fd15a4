from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.currency import CURRENCY_PATTERN, currency_code

# The criteria a manager may require before a SAL becomes an SQL, in the order forms show them.
CRITERIA: dict[str, str] = {
    "budget": _("Budget known, with an amount"),
    "authority": _("Authority: the contact's role is known"),
    "need": _("Need in their words"),
    "timeline": _("Timeline: decision date or quarter"),
    "buying_cycle": _("A legitimate buying cycle exists"),
    "influencer": _("We talk to an influencer in it"),
    "timeframe": _("Timeframe known"),
    "size": _("Opportunity size known"),
    "next_step": _("Permission for a next step, with what and when"),
}
QUARTER = r"^[0-9]{4}-Q[1-4]$"
DEFAULT_REQUIRED = ["buying_cycle", "influencer", "timeframe", "size", "next_step"]


class Authority(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    DECISION_MAKER = "decision_maker", _("Decision maker")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")


class Qualification(models.Model):
    """BANT and the SQL checks for one lead, saved bit by bit as the rep learns more."""

    lead = models.OneToOneField(
        "leads.Lead", models.CASCADE, related_name="qualification", verbose_name=_("lead")
    )
    budget_known = models.BooleanField(_("budget known"), default=False)
    budget_amount = models.DecimalField(
        _("budget amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[currency_code]
    )
    authority = models.CharField(
        _("authority"), max_length=20, choices=Authority.choices, default=Authority.UNKNOWN
    )
    need = models.TextField(_("need"), blank=True, help_text=_("The pain in their words."))
    timeline_date = models.DateField(_("expected decision date"), null=True, blank=True)
    timeline_quarter = models.CharField(
        _("or quarter"),
        max_length=7,
        blank=True,
        help_text=_("e.g. 2027-Q1"),
        validators=[RegexValidator(QUARTER, _("Write the quarter like 2027-Q1."))],
    )
    buying_cycle = models.BooleanField(_("a legitimate buying cycle exists"), default=False)
    influencer = models.BooleanField(_("we talk to an influencer in it"), default=False)
    timeframe_known = models.BooleanField(_("timeframe known"), default=False)
    size_known = models.BooleanField(_("opportunity size known"), default=False)
    next_step_permission = models.BooleanField(_("permission for a next step"), default=False)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_date = models.DateField(_("next step date"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(authority__in=Authority.values),
                name="qualification_authority_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_amount__isnull=True) | models.Q(budget_amount__gte=0),
                name="qualification_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(timeline_quarter="") | models.Q(timeline_quarter__regex=QUARTER),
                name="qualification_quarter_format",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_currency="")
                | models.Q(budget_currency__regex=CURRENCY_PATTERN),
                name="qualification_currency_iso",
            ),
        ]

    def __str__(self):
        return str(self.lead)

    def criteria_met(self) -> dict[str, bool]:
        return {
            "budget": self.budget_known and self.budget_amount is not None,
            "authority": self.authority != Authority.UNKNOWN,
            "need": bool(self.need.strip()),
            "timeline": bool(self.timeline_date or self.timeline_quarter),
            "buying_cycle": self.buying_cycle,
            "influencer": self.influencer,
            "timeframe": self.timeframe_known,
            "size": self.size_known,
            "next_step": self.next_step_permission
            and bool(self.next_step.strip())
            and self.next_step_date is not None,
        }


class QualificationPolicy(models.Model):
    """The manager's choice of criteria required for SQL; one row for the whole installation."""

    required = models.JSONField(_("required criteria"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("qualification policy")
        verbose_name_plural = _("qualification policies")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="qualificationpolicy_single")
        ]

    def __str__(self):
        return ", ".join(self.required)

    @classmethod
    def current(cls) -> "QualificationPolicy":
        return cls.objects.get_or_create(pk=1, defaults={"required": DEFAULT_REQUIRED})[0]
