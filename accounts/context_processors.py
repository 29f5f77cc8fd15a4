from accounts.capabilities import TemplateCapabilities


def roles(request):
    """`may.<capability>` (e.g. `may.queue_work`) so the navigation shows each person what they
    may use; templates ask for capabilities, never for role names."""
    return {"may": TemplateCapabilities(request.user)}
