"""Roles are Django groups (see roles.py); this app's models are the API token and a person's
preferences.

Accord keeps its own small token model rather than django-rest-knox: knox is tested up to
Django 6.0 (Accord runs 6.1), its tokens have no name, and it deletes a token on logout or
expiry, so a caller holding a revoked or expired key could only be told "invalid token".
DRF's authtoken, used before, kept one plaintext key per user (migration 0003 moved them here).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.zones import is_zone_name


def validate_time_zone(value: str) -> None:
    """A zone name from the IANA database (zoneinfo), e.g. Asia/Bangkok; empty is allowed."""
    if value and not is_zone_name(value):
        raise ValidationError(_("“%(zone)s” is not a known time zone."), params={"zone": value})


class TokenState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiToken(models.Model):
    """A named key with which a person's scripts and systems call the API as that person.

    The key itself is never stored (accounts/tokens.py says why a SHA-256 digest is enough).
    A revoked token keeps its row, so its owner's list says when it was revoked and a caller
    still using it is told so instead of "invalid token".
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    # Not unique per user: replacing a key without downtime means a new "Website" token works
    # before the old "Website" one is revoked.
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    # Written at most once a minute (services.api_token_record_use), not on every request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        # Nobody adds or edits a token in the admin, and a revoked one is kept, not deleted.
        default_permissions = ("view",)
        permissions = [("revoke_apitoken", _("Can revoke API tokens"))]
        indexes = [
            # Used by selectors.api_tokens_of: the profile page's list of a person's tokens.
            models.Index(fields=["user", "-created_at"], name="apitoken_user_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="apitoken_name_not_empty"),
            # A digest, never a key: DRF's keys were 40 characters, Accord's are 47.
            models.CheckConstraint(
                condition=Exact(Length("digest"), 64), name="apitoken_digest_is_sha256_hex"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="apitoken_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__gte=models.F("created_at"))
                | models.Q(revoked_at=None),
                name="apitoken_revoked_after_creation",
            ),
        ]

    def __str__(self):
        return gettext("%(name)s (%(prefix)s…) of %(user)s") % {
            "name": self.name,
            "prefix": self.prefix,
            "user": self.user,
        }

    def state_at(self, now) -> TokenState:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at <= now:
            return TokenState.EXPIRED
        return TokenState.ACTIVE


class Preferences(models.Model):
    """How Accord behaves for one person. No row means the defaults, so a new user needs none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        primary_key=True,
        related_name="preferences",
        verbose_name=_("user"),
    )
    # WCAG 2.1.4: single-character shortcuts can be turned off, for speech input and for people
    # who press keys by accident.
    single_key_shortcuts = models.BooleanField(
        _("single-key shortcuts"),
        default=True,
        help_text=_(
            "In the queue: j and k move through the leads, Enter opens one, c claims it, a goes "
            "to accepting, r to returning, ? lists them all. Turn off if you use speech input "
            "or press keys by accident."
        ),
    )

    # Empty: the browser's language (Accept-Language, or the switcher's cookie).
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Empty: the language your browser asks for."),
    )
    # Empty: the zone of the person's team (its SLA calendar), else the server's.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Times are shown in this zone. Empty: your team's time zone."),
    )

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    language__in=["", *(code for code, _name in settings.LANGUAGES)]
                ),
                name="preferences_language_valid",
            ),
        ]

    def __str__(self):
        return gettext("Preferences of %(user)s") % {"user": self.user}


class SavedView(models.Model):
    """A list's filters and sort that a person named to come back to ("My hot webinar leads"):
    the list it belongs to (accounts.saved_views.LISTS) and the query string that shows it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    list_key = models.CharField(_("list"), max_length=30)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters and sort"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            # Also the index of selectors.saved_views_of: one person's views of one list.
            models.UniqueConstraint(
                fields=["owner", "list_key", "name"], name="savedview_owner_list_name_unique"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="savedview_name_not_empty"),
        ]

    def __str__(self):
        return self.name
