from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from rest_framework.authtoken.models import Token

from accounts.capabilities import CapabilityRequiredMixin, capability_required
from accounts.roles import Role, roles_of
from accounts.services import api_token_issue, api_token_revoke

# The new key waits here between the POST and the page that shows it, once.
NEW_KEY_SESSION_KEY = "accounts_new_api_token"


class ProfileView(CapabilityRequiredMixin, TemplateView):
    capability = "accounts.profile"
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["role_labels"] = [Role(name).label for name in sorted(roles_of(user))]
        context["token"] = Token.objects.filter(user=user).first()
        context["new_key"] = self.request.session.pop(NEW_KEY_SESSION_KEY, None)
        context["api_root"] = self.request.build_absolute_uri("/api/v1/")
        return context


@require_POST
@capability_required("accounts.profile")
def issue_token(request):
    token = api_token_issue(user=request.user)
    request.session[NEW_KEY_SESSION_KEY] = token.key
    return redirect("accounts:profile")


@require_POST
@capability_required("accounts.profile")
def revoke_token(request):
    if api_token_revoke(user=request.user):
        messages.success(request, _("Your API token was revoked; it no longer works."))
    return redirect("accounts:profile")
