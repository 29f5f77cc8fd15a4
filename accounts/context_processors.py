from accounts.roles import Role, roles_of


def roles(request):
    """Exposes `roles` (a set of role names) so the navigation shows each role what it may use."""
    user_roles = roles_of(request.user)
    return {"roles": user_roles, "Role": Role}
