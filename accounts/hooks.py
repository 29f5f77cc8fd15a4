"""What a person's preferences ask of the apps above accounts (answered in sla/apps.py)."""

from core.hooks import Hook

# team_time_zone(user=...) -> str | None: the zone of the person's team (its SLA calendar), the
# default for a person who chose none; None when their team keeps no calendar.
team_time_zone = Hook("accounts.team_time_zone")
