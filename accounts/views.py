from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from rest_framework.authtoken.models import Token

from accounts.capabilities import CapabilityRequiredMixin, capability_required
from accounts.forms import UnlockForm
from accounts.lockouts import current_lockouts, lockout_release
from accounts.roles import Role, roles_of
from accounts.services import api_token_issue, api_token_revoke
from core.errors import ApplicationError
from core.mail import mail_is_delivered

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


class LockoutListView(CapabilityRequiredMixin, TemplateView):
    capability = "accounts.unlock"
    template_name = "accounts/lockouts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lockouts"] = current_lockouts()
        return context


@require_POST
@capability_required("accounts.unlock")
def unlock(request):
    form = UnlockForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Choose a lockout from the list to unlock."))
    username, address = form.cleaned_data["username"], form.cleaned_data["ip_address"]
    if lockout_release(username=username, ip_address=address, released_by=request.user):
        messages.success(
            request,
            _("%(username)s may log in again from %(address)s.")
            % {"username": username, "address": address or _("an unknown address")},
        )
    else:
        messages.info(request, _("That lockout had already ended."))
    return redirect("accounts:lockouts")


class PasswordResetView(auth_views.PasswordResetView):
    """Reset by e-mail only where e-mail is delivered (core.mail): elsewhere the page asks the
    person to contact an administrator, and a post sends nothing, since the link would reach
    the server's log (readable by whoever reads the log) or nobody."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reset_by_email"] = mail_is_delivered()
        return context

    def form_valid(self, form):
        if not mail_is_delivered():
            return self.render_to_response(self.get_context_data(form=form))
        return super().form_valid(form)
