from datetime import timedelta

from django import template
from django.utils import timezone

from sla.selectors import clock_display, format_duration

register = template.Library()


@register.inclusion_tag("sla/partials/clock_cell.html")
def clock_cell(clock, now=None):
    """A clock as the queue shows it: state colour and time left in business terms."""
    if clock is None:
        return {"display": None}
    return {"display": clock_display(clock, now or timezone.now())}


@register.filter
def minutes_duration(minutes, counting=None):
    """Minutes as '2h 10m', or in days of the clock's counting when given ('10 business
    days'); a dash when there is nothing to measure."""
    if minutes is None:
        return "—"
    return format_duration(timedelta(minutes=float(minutes)), counting)
