from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.currency import CURRENCY_PATTERN, currency_code


class OpportunityStage(models.TextChoices):
    DISCOVERY = "discovery", _("Discovery")
    PROPOSAL = "proposal", _("Proposal")
    NEGOTIATION = "negotiation", _("Negotiation")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


CLOSED_STAGES = (OpportunityStage.WON, OpportunityStage.LOST)


class Opportunity(models.Model):
    lead = models.ForeignKey(
        "leads.Lead", models.CASCADE, related_name="opportunities", verbose_name=_("lead")
    )
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_code])
    expected_close_date = models.DateField(_("expected close date"))
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=OpportunityStage.choices,
        default=OpportunityStage.DISCOVERY,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="opportunities",
        verbose_name=_("owner"),
    )
    lost_reason = models.TextField(_("lost reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["expected_close_date", "id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.UniqueConstraint(
                fields=["lead"],
                condition=~models.Q(stage__in=["won", "lost"]),
                name="opportunity_one_open_per_lead",
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=OpportunityStage.values),
                name="opportunity_stage_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="opportunity_amount_pos"
            ),
            models.CheckConstraint(
                condition=models.Q(currency__regex=CURRENCY_PATTERN),
                name="opportunity_currency_iso",
            ),
            models.CheckConstraint(
                condition=~models.Q(stage="lost") | ~models.Q(lost_reason=""),
                name="opportunity_lost_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=["won", "lost"], closed_at__isnull=False)
                | (~models.Q(stage__in=["won", "lost"]) & models.Q(closed_at__isnull=True)),
                name="opportunity_closed_at_matches_stage",
            ),
        ]
        indexes = [
            # The opportunities page: an account executive's pipeline by close date.
            models.Index(fields=["owner", "expected_close_date"], name="opportunity_owner_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES
