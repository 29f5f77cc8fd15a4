"""Moments with their zone named, and amounts with their currency, in the reader's language."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import formats

register = template.Library()


def zone_name(moment: datetime) -> str:
    """The IANA name of the zone a localized moment is in (Asia/Bangkok), else its tzname."""
    return getattr(moment.tzinfo, "key", None) or moment.tzname() or ""


@register.filter
def zoned(value: datetime | None, format_name: str = "DATETIME_FORMAT") -> str:
    """A moment in the reader's time zone (the active one), the zone named after it:
    "Mar 7, 2026, 2:05 PM (Asia/Bangkok)". Empty for no moment."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return _("%(moment)s (%(zone)s)") % {
        "moment": date_format(local, format_name),
        "zone": zone_name(local),
    }


@register.filter
def currency(amount, code: str) -> str:
    """An amount with its currency symbol where the reader's language puts it ($1,234.50,
    1 234,50 $); a dash for no amount, the bare number for no currency."""
    if amount is None or amount == "":
        return "—"
    if not code:
        return formats.number(amount)
    return formats.money(amount, code)
