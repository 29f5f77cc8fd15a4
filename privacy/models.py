from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    """The record that a lead's personal data was erased: who, when, why, and how much was
    removed, and nothing about the person (the lead is "Erased lead #id" from then on).

    This is the erasure's own record, kept by privacy.erasure in the transaction that erases.
    Where an audit trail of every change exists, this row is what it links to for an erasure:
    the audit keeps that an erasure happened and by whom, this keeps the counts; neither keeps
    the data that was removed.
    """

    lead = models.OneToOneField(
        "leads.Lead", models.PROTECT, related_name="erasure", verbose_name=_("lead")
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    erased_at = models.DateTimeField(_("erased at"))
    reason = models.TextField(
        _("reason"), help_text=_("Why, e.g. “Request by e-mail, ticket 4512”; not the person.")
    )
    # What was removed or anonymised, by kind ("activities": 12, ...).
    counts = models.JSONField(_("removed"), default=dict)

    class Meta:
        ordering = ["-erased_at", "-id"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="erasure_reason_given"),
        ]

    def __str__(self):
        return f"#{self.lead_id} @ {self.erased_at:%Y-%m-%d %H:%M}"
