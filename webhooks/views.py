"""Webhook pages for managers and administrators: subscriptions and their delivery log."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required
from webhooks import services
from webhooks.forms import SubscriptionForm
from webhooks.models import Delivery, Subscription

SHOWN_DELIVERIES = 50


@capability_required("webhooks.manage")
def subscription_list(request):
    form = SubscriptionForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        subscription = services.save_subscription(
            subscription=form.save(commit=False), user=request.user
        )
        return _show_secret_once(request, subscription, created=True)
    status = 400 if form.is_bound else 200
    subscriptions = Subscription.objects.all()
    context = {"form": form, "subscriptions": subscriptions}
    return render(request, "webhooks/list.html", context, status=status)


@capability_required("webhooks.manage")
def subscription_detail(request, pk):
    subscription = get_object_or_404(Subscription, pk=pk)
    form = SubscriptionForm(request.POST or None, instance=subscription)
    if request.method == "POST" and form.is_valid():
        subscription = services.save_subscription(
            subscription=form.save(commit=False), user=request.user
        )
        return redirect("webhooks:detail", pk=subscription.pk)
    status = 400 if form.is_bound else 200
    deliveries = subscription.deliveries.all()[:SHOWN_DELIVERIES]
    context = {"subscription": subscription, "form": form, "deliveries": deliveries}
    return render(request, "webhooks/detail.html", context, status=status)


@require_POST
@capability_required("webhooks.manage")
def subscription_rotate_secret(request, pk):
    subscription = get_object_or_404(Subscription, pk=pk)
    services.rotate_secret(subscription=subscription, user=request.user)
    return _show_secret_once(request, subscription, created=False)


def _show_secret_once(request, subscription, *, created):
    """The only page that ever shows a secret: the answer to the POST that made it, not stored
    anywhere else (no session, no message cookie) and not cached."""
    context = {"subscription": subscription, "created": created}
    response = render(request, "webhooks/secret.html", context, status=201 if created else 200)
    add_never_cache_headers(response)
    return response


@require_POST
@capability_required("webhooks.manage")
def delivery_replay(request, pk):
    delivery = get_object_or_404(Delivery, pk=pk)
    delivery = services.replay(delivery=delivery)
    if request.htmx:
        return render(request, "webhooks/_delivery_row.html", {"delivery": delivery})
    return redirect("webhooks:detail", pk=delivery.subscription_id)
