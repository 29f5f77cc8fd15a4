from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Notification


def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification at most once, even when the task runs twice.

    The claim (emailed_at) and the sending share a transaction: if sending fails, the claim is
    rolled back and a retry sends it.
    """
    with transaction.atomic():
        claimed = Notification.objects.filter(
            pk=notification_id, email_wanted=True, emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        if claimed != 1:
            return False
        notification = Notification.objects.select_related("user").get(pk=notification_id)
        body = notification.text
        if notification.url:
            body += "\n\n" + notification.url
        send_mail(
            subject=_("Accord: %(kind)s") % {"kind": notification.get_kind_display()},
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
    return True
