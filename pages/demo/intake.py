"""The demo's web-form keys."""

from intake.capture import new_form_key
from intake.models import FormKey
from leads.models import ActivityKind, Channel

# (channel slug, form name, what it records, activity properties)
DEMO_FORM_KEYS = [
    ("website-form", "Contact us", ActivityKind.CONTACT_REQUEST, {}),
    ("ebook", "Pricing guide ebook", ActivityKind.CONTENT_DOWNLOAD, {"asset_type": "ebook"}),
]


def seed_demo_form_keys() -> None:
    """A form key for the demo's inbound channels; running it again changes nothing."""
    channels = Channel.objects.in_bulk([slug for slug, *_rest in DEMO_FORM_KEYS], field_name="slug")
    for slug, name, kind, properties in DEMO_FORM_KEYS:
        channel = channels.get(slug)
        if channel and not FormKey.objects.filter(channel=channel, name=name).exists():
            new_form_key(
                name=name,
                channel=channel,
                allowed_origins=["http://localhost:8000"],
                activity_kind=kind,
                properties=properties,
            )
