from django.contrib import admin

from sla.models import (
    CalendarException,
    Clock,
    ClosedDate,
    ExceptionSpan,
    SlaPolicy,
    TeamCalendar,
    WorkingSpan,
)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "step", "target_minutes", "counting", "priority", "is_active"]
    list_filter = ["step", "counting", "is_active"]
    search_fields = ["name"]


class WorkingSpanInline(admin.TabularInline):
    model = WorkingSpan
    extra = 0


class ClosedDateInline(admin.TabularInline):
    model = ClosedDate
    extra = 0


class ExceptionSpanInline(admin.TabularInline):
    model = ExceptionSpan
    extra = 0


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    """Read here; add and remove on the calendar page, which checks overlaps and closed dates."""

    list_display = ["calendar", "kind", "first_day", "last_day", "note"]
    list_filter = ["kind"]
    inlines = [ExceptionSpanInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TeamCalendar)
class TeamCalendarAdmin(admin.ModelAdmin):
    list_display = ["team", "time_zone", "holiday_country", "holiday_subdiv", "updated_at"]
    inlines = [WorkingSpanInline, ClosedDateInline]


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin):
    """Read-only: clocks change through sla.services and the scan, never by hand."""

    list_display = ["handoff", "step", "state", "started_at", "due_at", "stopped_at"]
    list_filter = ["step", "state"]
    list_select_related = ["handoff__lead"]
    raw_id_fields = ["handoff", "rep"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
