from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "integrity.apps.fieldwork"
    label = "fieldwork"
    verbose_name = _("현장조사")

    def ready(self):
        from integrity.apps.sampling.signals import draw_replaced

        from .withdrawal import withdraw_replaced_draw

        draw_replaced.connect(withdraw_replaced_draw, dispatch_uid="fieldwork.withdraw_replaced_draw")
        refuse_leaky_backends()


# Backends that write messages where they can be read (a console, a log, a file): links
# are credentials and phone numbers personal data, so outside development they refuse
# to start. The test suite (INTEGRITY_TESTING) keeps them in memory.
LEAKY_EMAIL = ("django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.filebased.EmailBackend",
               "django.core.mail.backends.locmem.EmailBackend")
LEAKY_SMS = ("integrity.apps.fieldwork.sms.ConsoleBackend", "integrity.apps.fieldwork.sms.FileBackend",
             "integrity.apps.fieldwork.sms.LocMemBackend")
LEAKY_MESSENGER = ("integrity.apps.fieldwork.messenger.ConsoleBackend", "integrity.apps.fieldwork.messenger.LocMemBackend")


def refuse_leaky_backends() -> None:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    if settings.DEBUG or getattr(settings, "DEMO", False) or getattr(settings, "INTEGRITY_TESTING", False):
        return
    if settings.EMAIL_BACKEND in LEAKY_EMAIL:
        raise ImproperlyConfigured(f"운영 모드에서는 전자우편을 {settings.EMAIL_BACKEND}로 보낼 수 없습니다 (링크가 기록에 남습니다). "
                                   "INTEGRITY_EMAIL_BACKEND에 SMTP 등 실제 발송 백엔드를 지정하세요")
    if settings.INTEGRITY_SMS_BACKEND in LEAKY_SMS:
        raise ImproperlyConfigured(f"운영 모드에서는 문자를 {settings.INTEGRITY_SMS_BACKEND}로 보낼 수 없습니다 (전화번호와 링크가 "
                                   "기록에 남습니다). INTEGRITY_SMS_BACKEND에 통신사 발송 백엔드를 지정하세요")
    if getattr(settings, "INTEGRITY_MESSENGER_BACKEND", "") in LEAKY_MESSENGER:
        raise ImproperlyConfigured(f"운영 모드에서는 알림톡을 {settings.INTEGRITY_MESSENGER_BACKEND}로 보낼 수 없습니다 (전화번호와 "
                                   "링크가 기록에 남습니다). INTEGRITY_MESSENGER_BACKEND에 발송 대행사 백엔드를 지정하거나 비워 "
                                   "두세요(비우면 문자로 보냅니다)")
