"""django-q2 entry points: thin wrappers that take ids and call the services."""

from webhooks import services


def send_delivery(delivery_id: int) -> None:
    services.send_delivery(delivery_id)


def send_due_deliveries() -> None:
    services.send_due_deliveries()
