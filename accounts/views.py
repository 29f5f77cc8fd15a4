"""The profile page: who you are here, and your API tokens."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.capabilities import capability_required
from accounts.forms import ApiTokenForm
from accounts.roles import Role, roles_of
from accounts.selectors import api_tokens_of
from accounts.services import api_token_create, api_token_revoke


@require_GET
@capability_required("accounts.profile")
def profile(request):
    return _profile_page(request, form=ApiTokenForm())


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
    if api_token_revoke(token=token):
        messages.success(
            request,
            _("The API token “%(name)s” was revoked; it no longer works.") % {"name": token.name},
        )
    return redirect("accounts:profile")


def _profile_page(request, *, form, new_key=None, status=200):
    """The profile with the person's tokens (one query for them); `new_key` only in the answer
    to the POST that created it: it is kept nowhere else (no session, no message cookie)."""
    user = request.user
    now = timezone.now()
    context = {
        "role_labels": [Role(name).label for name in sorted(roles_of(user))],
        "tokens": [(token, token.state_at(now)) for token in api_tokens_of(user=user)],
        "form": form,
        "new_key": new_key,
        "api_root": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "accounts/profile.html", context, status=status)
