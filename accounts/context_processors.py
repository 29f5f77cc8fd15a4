from accounts.capabilities import TemplateCapabilities
from accounts.roles import Role, roles_of


def roles(request):
    """`may.<capability>` (e.g. `may.queue_work`) so the navigation shows each person what they
    may use; `roles` and `Role` for pages that describe a person's roles."""
    return {
        "may": TemplateCapabilities(request.user),
        "roles": roles_of(request.user),
        "Role": Role,
    }
