"""How report figures read on the page: shares as percentages, stays as days and hours."""

from datetime import timedelta
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    if share is None:
        return "—"
    return f"{number_format(round(share * 100, 1), decimal_pos=1)}%"


@register.filter
def stay(duration: timedelta | None) -> str:
    """A median stay, to the precision a person reads it at: 3d 4h, 5h 10m, 12m."""
    if duration is None:
        return "—"
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)sd %(hours)sh") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)sh %(minutes)sm") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)sm") % {"minutes": minutes}


@register.filter
def money(amount) -> str:
    if amount is None:
        return "—"
    return number_format(amount, decimal_pos=2, force_grouping=True)


@register.simple_tag(takes_context=True)
def narrowed_to(context, name: str, value) -> str:
    """This page's query string with filter `name` set to `value`: a breakdown row's drill-down."""
    query = context["request"].GET.copy()
    query[name] = value
    return f"?{query.urlencode()}"


@register.filter
def rate(value) -> str:
    """An exchange rate with the places it was entered with (35.5, not 35.50000000)."""
    if value is None:
        return "—"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return number_format(Decimal(text), force_grouping=True)
