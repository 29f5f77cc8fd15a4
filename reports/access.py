"""Who may see the reports and who enters channel spend, for the pages and the API alike."""

from accounts.roles import Role

REPORT_ROLES = (Role.MANAGER, Role.MARKETER)
SPEND_ROLES = (Role.MARKETER,)
