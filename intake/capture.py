"""Web-form capture: a public website posts a form to `/capture/<key>/` and a lead comes in.

The key names the channel and what the form means (an ebook download, a contact request). The
lead is upserted through leads.services like every other door, the activity recorded, and the lead
rescored. Nobody vouches for the poster, so a known lead's fields are filled, never overwritten:
what the form said is kept on the activity (`submitted`) for the lead page to show.

Spam defences: a honeypot field a person never sees and fills (silently dropped), and rate
limits per address, per key and per email, on counters every web process shares (core.counters).
"""

import hashlib
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Source
from core import counters
from intake.models import FormKey
from leads.consent import record_consent
from leads.models import (
    FORM_SOURCE,
    SUBMITTED_PROPERTY,
    Activity,
    ActivityKind,
    Channel,
    ConsentSource,
    Lead,
    normalize_email,
)
from leads.services import TEXT_FIELDS, upsert_lead
from leads.suppression import is_suppressed
from scoring.services import rescore_leads

HONEYPOT_FIELD = "accord_website"
LEAD_FIELDS = ("email", *TEXT_FIELDS, "country", "company_size")
# Fields that steer the capture instead of describing the person. The channel and the activity
# kind come from the key alone; fields naming them are ignored, not stored.
CONTROL_FIELDS = {"channel", "campaign", "activity", "kind", "next", HONEYPOT_FIELD}
# What a ticked checkbox sends, in the spellings forms and scripts use.
TICKED = {"on", "true", "1", "yes"}
MAX_EXTRA_FIELDS = 30
MAX_EXTRA_LENGTH = 1000
CAPTURE_SOURCE = FORM_SOURCE


def new_form_key(
    *,
    name: str,
    channel: Channel,
    allowed_origins: list[str],
    activity_kind: str = ActivityKind.FORM_SUBMIT,
    properties: dict | None = None,
    consent_field: str = "",
    consent_scope: str = "",
) -> FormKey:
    form_key = FormKey(
        key=secrets.token_urlsafe(16),
        name=name,
        channel=channel,
        allowed_origins=[normalize_origin(origin) for origin in allowed_origins if origin.strip()],
        activity_kind=activity_kind,
        properties=properties or {},
        consent_field=consent_field,
        consent_scope=consent_scope,
    )
    form_key.full_clean()
    form_key.save()
    return form_key


def set_form_key_active(*, form_key: FormKey, active: bool) -> FormKey:
    FormKey.objects.filter(pk=form_key.pk).update(is_active=active)
    form_key.is_active = active
    return form_key


def rotate_form_key(*, form_key: FormKey) -> FormKey:
    """Give the form a new key; the old one stops working at once (a leaked or abused key)."""
    form_key.key = secrets.token_urlsafe(16)
    FormKey.objects.filter(pk=form_key.pk).update(key=form_key.key)
    return form_key


def delete_form_key(*, form_key: FormKey) -> None:
    """Forget the key; posts to it are answered 404. The leads and activities it brought stay."""
    form_key.delete()


def normalize_origin(origin: str) -> str:
    """ "HTTPS://Example.com/" -> "https://example.com": how browsers send the Origin header."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            {
                "allowed_origins": _(
                    "“%(origin)s” is not an origin such as https://www.example.com."
                )
                % {"origin": origin.strip()}
            }
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_allowed(form_key: FormKey, origin: str | None) -> bool:
    return bool(origin) and origin.lower() in form_key.allowed_origins


def safe_next_url(form_key: FormKey, next_url: str) -> str:
    """The `next` address if it is on one of the key's sites, else "" (no open redirect)."""
    hosts = {urlsplit(origin).netloc for origin in form_key.allowed_origins}
    if next_url and hosts and url_has_allowed_host_and_scheme(next_url, allowed_hosts=hosts):
        return next_url if urlsplit(next_url).netloc else ""
    return ""


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` submissions in a fixed window of `window` seconds."""

    limit: int
    window: int


# One visitor (or one bot) at one address.
ADDRESS_LIMIT = RateLimit(20, 60)
# One form, from everywhere: a flood from many addresses stops at this.
KEY_LIMIT = RateLimit(120, 60)
# One person: nobody fills in a form for the same email more than a few times an hour.
EMAIL_LIMIT = RateLimit(5, 3600)
REFUSALS = {
    "address": gettext_lazy("Too many submissions from your address; try again later."),
    "key": gettext_lazy("This form is receiving too many submissions; try again later."),
    "email": gettext_lazy("Too many submissions for this email; try again later."),
}


def _count(scope: str, identity: str, rule: RateLimit, now: float) -> int:
    """Count one submission in the window, on the counters every web process shares; seconds
    until the window ends when over the limit, else 0."""
    if counters.hit(f"capture-rate:{scope}:{identity}", rule.window, now=now) <= rule.limit:
        return 0
    return counters.seconds_left(rule.window, now)


def rate_limited(
    *, form_key: FormKey, address: str, email: str, now: float | None = None
) -> tuple[int, str] | None:
    """Count one submission against its address, its key and its email, in that order; the first
    limit it exceeds as (seconds to wait, why), else None.

    A submission refused by one limit is not counted by the later ones, so one noisy address does
    not use up the form's allowance for everyone else. Emails are counted by a digest: the cache
    holds no addresses.
    """
    now = time.time() if now is None else now
    email = normalize_email(str(email))
    checks = (
        ("address", address, ADDRESS_LIMIT),
        ("key", str(form_key.pk), KEY_LIMIT),
        ("email", email and hashlib.sha256(email.encode()).hexdigest()[:32], EMAIL_LIMIT),
    )
    for scope, identity, rule in checks:
        wait = identity and _count(scope, identity, rule, now)
        if wait:
            return wait, str(REFUSALS[scope])
    return None


def capture_submission(*, form_key: FormKey, fields: dict, page_url: str = "") -> Lead | None:
    """Upsert the lead, record what they did and the consent the form's checkbox gave, rescore.
    None when the honeypot is filled, or when the address is on the suppression list (an erased
    or unsubscribed person): the poster sees the same success either way, so the form tells no
    one who asked to be forgotten, and nothing is stored.

    Raises ValidationError with errors by field (a bad email, a field a lead cannot hold).
    """
    if str(fields.get(HONEYPOT_FIELD) or "").strip():
        return None
    if is_suppressed(str(fields.get("email") or "")):
        return None
    # What the visit counts for is the key's to say: a poster naming another channel or kind
    # (a "demo request" on an ebook form) is not listened to.
    channel = form_key.channel
    campaign = str(fields.get("campaign") or "").strip()[:200]
    data = {name: fields[name] for name in LEAD_FIELDS if fields.get(name) not in (None, "")}
    data["email"] = fields.get("email", "")
    # Anyone may post any email: what they say about the person is kept on the activity, and
    # written to the lead only where it has nothing yet.
    submitted = {
        name: str(value)[:MAX_EXTRA_LENGTH] for name, value in data.items() if name != "email"
    }
    data["channel"] = channel.slug
    if campaign:
        data["source_detail"] = campaign
    extras = {
        str(name)[:100]: str(value)[:MAX_EXTRA_LENGTH]
        for name, value in fields.items()
        if name not in CONTROL_FIELDS and name not in LEAD_FIELDS
    }
    properties = {**form_key.properties, **dict(list(extras.items())[:MAX_EXTRA_FIELDS])}
    properties.update(form=form_key.name, campaign=campaign, page=page_url[:500])
    properties[SUBMITTED_PROPERTY] = submitted
    with transaction.atomic():
        lead, _created = upsert_lead(data=data, source=Source.WEB_FORM, fill_only=True)
        Activity.objects.create(
            lead=lead,
            kind=form_key.activity_kind,
            occurred_at=timezone.now(),
            channel=channel,
            properties=properties,
            source=CAPTURE_SOURCE,
        )
        if form_key.consent_field and consent_given(fields.get(form_key.consent_field)):
            record_consent(
                lead=lead, changes={form_key.consent_scope: True}, source=ConsentSource.WEB_FORM
            )
        rescore_leads([lead.pk])
    return lead


def consent_given(value) -> bool:
    return str(value or "").strip().lower() in TICKED
