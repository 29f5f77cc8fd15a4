"""The audit trail: one append-only row per changed field (or per event that has no field).

Rows are written by `audit.services` inside the transaction of the change they describe and are
never changed afterwards: the queryset refuses update() and delete(), the model refuses a second
save() and delete(), and on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002). The
changes a row accepts are Django's own when its actor's account is deleted (actor becomes null;
`actor_label` keeps the name the page shows) and the redaction of an erased person's values
(`audit.services.redact`: who changed which field when stays, the values and the name go).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    """The door a change came in by."""

    BROWSER = "browser", _("Browser")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    WEB_FORM = "web_form", _("Web form")
    SYSTEM = "system", _("Accord")


class Action(models.TextChoices):
    CREATED = "created", pgettext_lazy("an action on the audit trail", "created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")
    SUBMITTED = "submitted", _("submitted")
    SIGNED = "signed", _("signed")
    PUBLISHED = "published", _("published")
    DEACTIVATED = "deactivated", _("deactivated")
    ISSUED = "issued", _("issued")
    REVOKED = "revoked", pgettext_lazy("an action on the audit trail", "revoked")
    SECRET_ROTATED = "secret_rotated", _("secret rotated")
    ROLE_GRANTED = "role_granted", _("role granted")
    ROLE_REMOVED = "role_removed", _("role removed")
    MEMBER_ADDED = "member_added", _("member added")
    MEMBER_REMOVED = "member_removed", _("member removed")
    ERASED = "erased", _("personal data erased")


class AppendOnly(Exception):
    """A write that would change or remove recorded history: a bug, never a user's request."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("The audit trail is append-only.")

    def delete(self):
        raise AppendOnly("The audit trail is append-only.")

    update.queryset_only = True
    delete.queryset_only = True


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The actor's name when they acted, shown once their account is gone.
    actor_label = models.CharField(_("who (name)"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The model's label ("sla.slapolicy"): stable across content type renumbering and readable in
    # an export; `object_label` keeps the object's name once the object is deleted.
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.BigIntegerField(_("object id"))
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    field = models.CharField(_("field"), max_length=100, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    # The rows one action wrote (a form saved, an import batch) share it.
    change_set = models.UUIDField(_("change set"), db_index=True)
    # The values were an erased person's and are gone (audit.services.redact).
    redacted = models.BooleanField(_("redacted"), default=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            # The audit page and API: newest first, narrowed by date range.
            models.Index(fields=["-at", "-id"], name="audit_newest"),
            # The audit page's actor filter.
            models.Index(fields=["actor", "-at"], name="audit_by_actor"),
            # A lead page's history and the object type filter.
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_by_object"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="audit_source_known"
            ),
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="audit_action_known"
            ),
        ]

    def __str__(self):
        return f"{self.object_type} {self.object_id} {self.action} {self.field}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("The audit trail is append-only.")
