"""The profile page: who you are here, your preferences and your API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from accounts.capabilities import CapabilityRequiredMixin, capability_required
from accounts.forms import ApiTokenForm, PreferencesForm, UnlockForm
from accounts.lockouts import current_lockouts, lockout_release
from accounts.models import SavedView
from accounts.preferences import preferences_of, remember_reader, save_preferences
from accounts.roles import Role, roles_of
from accounts.saved_views import LISTS, saved_view_save, saved_view_url
from accounts.selectors import api_tokens_of
from accounts.services import api_token_create, api_token_revoke
from core.errors import ApplicationError
from core.mail import mail_is_delivered


@require_GET
@capability_required("accounts.profile")
def profile(request):
    return _profile_page(request, form=ApiTokenForm())


@require_POST
@capability_required("accounts.profile")
def preferences(request):
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, form=ApiTokenForm(), preferences_form=form, status=400)
    saved = save_preferences(user=request.user, **form.cleaned_data)
    reader = remember_reader(request, saved)
    # The confirmation is the first thing said in the language just chosen.
    translation.activate(reader["language"] or request.LANGUAGE_CODE)
    messages.success(request, _("Your preferences are saved."))
    response = redirect("accounts:profile")
    if not reader["language"]:
        # "The browser's language" means Accept-Language, not what the switcher chose before.
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response


@login_not_required
def set_language(request):
    """Django's language switcher; for a signed-in person the choice is also their profile's
    language, so it follows them to other browsers and into their notifications."""
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        remember_reader(request, save_preferences(user=request.user, language=language))
    return response


@require_POST
@capability_required("accounts.profile")
def create_token(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, form=form, status=400)
    issued = api_token_create(user=request.user, **form.cleaned_data)
    response = _profile_page(request, form=ApiTokenForm(), new_key=issued.key, status=201)
    add_never_cache_headers(response)
    return response


@require_POST
@capability_required("accounts.profile")
def revoke_token(request, pk):
    token = get_object_or_404(api_tokens_of(user=request.user), pk=pk)
    if api_token_revoke(token=token, actor=request.user):
        messages.success(
            request,
            _("The API token “%(name)s” was revoked; it no longer works.") % {"name": token.name},
        )
    return redirect("accounts:profile")


def _profile_page(request, *, form, new_key=None, preferences_form=None, status=200):
    """The profile with the person's tokens (one query for them); `new_key` only in the answer
    to the POST that created it: it is kept nowhere else (no session, no message cookie)."""
    user = request.user
    now = timezone.now()
    context = {
        "role_labels": [Role(name).label for name in sorted(roles_of(user))],
        "tokens": [(token, token.state_at(now)) for token in api_tokens_of(user=user)],
        "form": form,
        "preferences_form": preferences_form or PreferencesForm(instance=preferences_of(user)),
        "new_key": new_key,
        "api_root": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "accounts/profile.html", context, status=status)


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


@require_POST
@capability_required("accounts.profile")
def save_view(request):
    """Save the list's current filters and sort under a name, and show the list with them."""
    view, created = saved_view_save(
        owner=request.user,
        list_key=request.POST.get("list", ""),
        name=request.POST.get("name", ""),
        query=request.POST.get("query", ""),
    )
    if created:
        messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    else:
        messages.success(request, _("View “%(name)s” updated.") % {"name": view.name})
    return redirect(saved_view_url(view))


@require_GET
@capability_required("accounts.profile")
def open_view(request, pk):
    view = get_object_or_404(SavedView.objects.filter(owner=request.user), pk=pk)
    return redirect(saved_view_url(view))


@require_POST
@capability_required("accounts.profile")
def delete_view(request, pk):
    view = get_object_or_404(SavedView.objects.filter(owner=request.user), pk=pk)
    view.delete()
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect(LISTS[view.list_key])
