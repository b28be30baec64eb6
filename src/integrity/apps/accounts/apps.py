from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "integrity.apps.accounts"
    label = "accounts"
    verbose_name = _("사용자와 권한")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import guard

        def failed(sender, credentials=None, request=None, **kwargs):
            username = (credentials or {}).get("username")
            if username and not getattr(request, "account_guard_refused", False):
                guard.record_failure(username)

        def succeeded(sender, user=None, request=None, **kwargs):
            guard.record_success(user, request)

        user_login_failed.connect(failed, dispatch_uid="accounts.guard.failed", weak=False)
        user_logged_in.connect(succeeded, dispatch_uid="accounts.guard.succeeded", weak=False)

        from django.contrib import admin

        from .forms import GuardedAdminAuthenticationForm

        admin.site.login_form = GuardedAdminAuthenticationForm
