from notifications.models import Notification


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(*, user, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(user=user)[:limit])
