from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.preferences import language_of
from notifications.models import Notification
from notifications.wording import word


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
        # The worker has no reader: subject and body are in the recipient's language.
        with translation.override(language_of(notification.user)):
            body = word(notification.kind, notification.params)
            if notification.url:
                body += "\n\n" + notification.url
            subject = _("Accord: %(kind)s") % {"kind": notification.get_kind_display()}
        send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
    return True
