from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "integrity.apps.accounts"
    label = "accounts"
    verbose_name = _("사용자와 권한")
