"""The public capture endpoint, and the marketers' page of form keys and their snippets."""

import json

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required
from core.addresses import client_address
from intake import capture
from intake.capture_forms import FormKeyForm
from intake.models import FormKey
from leads.models import Channel


def cors_headers(response, form_key: FormKey, origin: str | None):
    response["Vary"] = "Origin"
    if capture.origin_allowed(form_key, origin):
        response["Access-Control-Allow-Origin"] = origin
    return response


def submitted_fields(request) -> dict:
    if request.content_type == "application/json":
        try:
            fields = json.loads(request.body or b"{}")
        except ValueError:
            raise ValidationError({"body": [_("The body is not valid JSON.")]}) from None
        if not isinstance(fields, dict):
            raise ValidationError({"body": [_("Expected a JSON object of form fields.")]})
        return fields
    return request.POST.dict()


@csrf_exempt
@login_not_required
def capture_form(request, key):
    """POST a form (HTML or JSON) from a public website; OPTIONS answers the CORS preflight."""
    form_key = FormKey.objects.select_related("channel").filter(key=key, is_active=True).first()
    if form_key is None:
        raise Http404
    origin = request.headers.get("Origin")
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        if capture.origin_allowed(form_key, origin):
            response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Content-Type"
            response["Access-Control-Max-Age"] = "86400"
        return cors_headers(response, form_key, origin)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST, OPTIONS"})
    # A cross-site script may post only from the key's own sites; a plain form post is allowed
    # from anywhere when the key names no site.
    if origin and form_key.allowed_origins and not capture.origin_allowed(form_key, origin):
        return cors_headers(
            JsonResponse({"detail": _("This site may not post to this form.")}, status=403),
            form_key,
            origin,
        )
    wants_json = request.content_type == "application/json"
    try:
        fields = submitted_fields(request)
        refusal = capture.rate_limited(
            form_key=form_key,
            address=client_address(request),
            email=fields.get("email") or "",
        )
        if refusal is None:
            capture.capture_submission(
                form_key=form_key, fields=fields, page_url=request.headers.get("Referer", "")
            )
    except ValidationError as invalid:
        errors = invalid.message_dict
        if wants_json:
            return cors_headers(JsonResponse(errors, status=400), form_key, origin)
        response = render(request, "intake/capture/invalid.html", {"errors": errors}, status=400)
        return cors_headers(response, form_key, origin)
    if refusal is not None:
        wait, message = refusal
        response = JsonResponse({"detail": message}, status=429)
        response["Retry-After"] = str(wait)
        return cors_headers(response, form_key, origin)
    # A filled honeypot ends here too: a bot sees the same success as a person.
    if wants_json:
        return cors_headers(JsonResponse({"ok": True}), form_key, origin)
    next_url = capture.safe_next_url(form_key, str(fields.get("next") or ""))
    if next_url:
        return cors_headers(redirect(next_url), form_key, origin)
    return cors_headers(render(request, "intake/capture/thanks.html"), form_key, origin)


@capability_required("intake.manage_forms")
def form_keys(request):
    form = FormKeyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                capture.new_form_key(**form.cleaned_data)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                return redirect("intake:form-keys")
        status = 400
    channels = Channel.objects.prefetch_related("form_keys")
    endpoint = capture_endpoint(request)
    rows = [
        (channel, [(key, snippet(key, endpoint)) for key in channel.form_keys.all()])
        for channel in channels
    ]
    context = {"form": form, "rows": rows}
    return render(request, "intake/capture/form_keys.html", context, status=status)


def capture_endpoint(request) -> str:
    """The capture URL with "KEY" where each form's key goes."""
    return request.build_absolute_uri(reverse("intake:capture", args=["KEY"]))


def snippet(form_key: FormKey, endpoint: str) -> str:
    """The HTML a web developer pastes into the site for this key."""
    return render_to_string(
        "intake/capture/snippet.html",
        {
            "action": endpoint.replace("KEY", form_key.key),
            "form_key": form_key,
            "honeypot": capture.HONEYPOT_FIELD,
        },
    ).strip()


def key_rows(request, form_key: FormKey):
    """The key's rows of the Web forms page, for htmx to swap in; the whole page without htmx."""
    if not request.htmx:
        return redirect("intake:form-keys")
    context = {"key": form_key, "html": snippet(form_key, capture_endpoint(request))}
    return render(request, "intake/capture/form_key_rows.html", context)


@require_POST
@capability_required("intake.manage_forms")
def form_key_toggle(request, pk):
    form_key = get_object_or_404(FormKey.objects.select_related("channel"), pk=pk)
    capture.set_form_key_active(form_key=form_key, active=not form_key.is_active)
    return key_rows(request, form_key)


@require_POST
@capability_required("intake.manage_forms")
def form_key_rotate(request, pk):
    form_key = get_object_or_404(FormKey.objects.select_related("channel"), pk=pk)
    capture.rotate_form_key(form_key=form_key)
    return key_rows(request, form_key)


@require_POST
@capability_required("intake.manage_forms")
def form_key_delete(request, pk):
    form_key = get_object_or_404(FormKey, pk=pk)
    capture.delete_form_key(form_key=form_key)
    if request.htmx:
        return HttpResponse()  # htmx swaps the key's rows for nothing
    return redirect("intake:form-keys")
