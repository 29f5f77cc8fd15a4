"""django-q2 entry points: thin wrappers that take ids and call the services."""

from webhooks import services


def send_delivery(delivery_id: int) -> None:
    """Kept for tasks queued one per delivery before the sweep sent them all (see services)."""
    services.send_delivery(delivery_id)


def send_due_deliveries() -> None:
    services.send_due_deliveries()
