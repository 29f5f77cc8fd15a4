import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import LeadFactory
from tests.webhooks.factories import SubscriptionFactory
from webhooks import services, signing
from webhooks.models import Delivery, DeliveryStatus, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_delivery(subscription):
    (delivery,) = services.emit("lead.mql", lead=LeadFactory())
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=8, next_attempt_at=None, last_status_code=500
    )
    return delivery


def pages(subscription):
    return [reverse("webhooks:list"), reverse("webhooks:detail", args=[subscription.pk])]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MANAGER, 200), (Role.ADMIN, 200), (Role.MARKETER, 403), (Role.SDR, 403),
        (Role.ACCOUNT_EXECUTIVE, 403), (None, 403),
    ],
)  # fmt: skip
def test_only_managers_and_admins_manage_webhooks(client_as, failed_delivery, role, status):
    client = client_as(*([role] if role else []))

    for url in pages(failed_delivery.subscription):
        assert client.get(url).status_code == status
    replay = client.post(reverse("webhooks:replay", args=[failed_delivery.pk]))
    assert replay.status_code == (302 if status == 200 else 403)


def test_anonymous_visitors_are_sent_to_login(client, subscription):
    for url in pages(subscription):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def add_crm(client):
    return client.post(
        reverse("webhooks:list"),
        {
            "name": "CRM",
            "url": "https://crm.example/hooks",
            "events": ["lead.sql", "opportunity.won"],
            "is_active": "on",
        },
    )


def test_a_manager_adds_a_webhook_and_sees_its_secret_once(client_as):
    client = client_as(Role.MANAGER)

    response = add_crm(client)

    subscription = Subscription.objects.get()
    assert response.status_code == 201
    assert subscription.events == ["lead.sql", "opportunity.won"]
    assert subscription.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    for url in pages(subscription):
        assert subscription.secret not in client.get(url).content.decode()


def test_a_manager_rotates_a_secret_and_sees_the_new_one_once(client_as, subscription):
    client = client_as(Role.MANAGER)
    old = subscription.secret

    response = client.post(reverse("webhooks:rotate-secret", args=[subscription.pk]))

    subscription.refresh_from_db()
    assert subscription.secret != old
    assert response.status_code == 200
    assert subscription.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert subscription.secret not in client.get(pages(subscription)[1]).content.decode()


def test_deliveries_after_a_rotation_are_signed_with_the_new_secret(
    client_as, subscription, receiver
):
    old = subscription.secret
    client_as(Role.MANAGER).post(reverse("webhooks:rotate-secret", args=[subscription.pk]))
    subscription.refresh_from_db()
    (delivery,) = services.emit("lead.mql", lead=LeadFactory())

    services.send_delivery(delivery.pk)

    (request,) = receiver.requests
    header = request["headers"][signing.HEADER]
    assert signing.verify(subscription.secret, request["body"], header)
    assert not signing.verify(old, request["body"], header)


@pytest.mark.parametrize("role", [Role.MARKETER, Role.SDR, Role.ACCOUNT_EXECUTIVE])
def test_only_managers_and_admins_rotate_secrets(client_as, subscription, role):
    old = subscription.secret

    response = client_as(role).post(reverse("webhooks:rotate-secret", args=[subscription.pk]))

    assert response.status_code == 403
    subscription.refresh_from_db()
    assert subscription.secret == old


def test_the_admin_never_shows_a_secret(admin_client, subscription):
    pages_ = [
        reverse("admin:webhooks_subscription_changelist"),
        reverse("admin:webhooks_subscription_change", args=[subscription.pk]),
    ]
    for url in pages_:
        response = admin_client.get(url)
        assert response.status_code == 200
        assert subscription.secret not in response.content.decode()


def test_the_delivery_log_shows_status_and_duration_but_not_the_answer(
    client_as, subscription, receiver
):
    receiver.answer(500)
    (delivery,) = services.emit("lead.mql", lead=LeadFactory())
    services.send_delivery(delivery.pk)
    delivery.refresh_from_db()

    page = client_as(Role.MANAGER).get(pages(subscription)[1]).content.decode()

    assert "receiver trouble" not in page
    assert "500" in page
    assert f"{delivery.last_duration_ms} ms" in page


def test_a_non_http_url_is_shown_next_to_the_field(client_as):
    response = client_as(Role.MANAGER).post(
        reverse("webhooks:list"),
        {"name": "CRM", "url": "ftp://crm.example/hooks", "events": ["lead.sql"]},
    )

    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_manager_replays_a_failed_delivery_in_place(
    client_as, failed_delivery, receiver, django_capture_on_commit_callbacks
):
    client = client_as(Role.MANAGER)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("webhooks:replay", args=[failed_delivery.pk]), HTTP_HX_REQUEST="true"
        )

    assert response.status_code == 200
    assert f'id="delivery-{failed_delivery.pk}"' in response.content.decode()
    services.send_due_deliveries()  # the sweep the replay prompted
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 1


def test_replaying_a_delivery_that_is_not_failed_answers_409_in_place(client_as, subscription):
    (delivery,) = services.emit("lead.mql", lead=LeadFactory())

    response = client_as(Role.MANAGER).post(
        reverse("webhooks:replay", args=[delivery.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 409
    assert "Only a failed delivery" in response.content.decode()


def test_the_delivery_log_runs_a_fixed_number_of_queries(
    client_as, subscription, django_assert_max_num_queries
):
    client = client_as(Role.MANAGER)
    url = reverse("webhooks:detail", args=[subscription.pk])
    services.emit("lead.mql", lead=LeadFactory())
    with django_assert_max_num_queries(8):
        client.get(url)
    for _ in range(10):
        services.emit("lead.mql", lead=LeadFactory())
    SubscriptionFactory.create_batch(3)
    with django_assert_max_num_queries(8):
        client.get(url)
    with django_assert_max_num_queries(8):
        client.get(reverse("webhooks:list"))
