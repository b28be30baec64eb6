from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext

from . import guard


class GuardMixin:
    """Asks the per-account limit (accounts.guard) before the password is checked, so
    the page can say how long to wait."""

    wait_message = ""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            wait = guard.wait_seconds(username, self.request)
            if wait:
                self.wait_message = gettext("이 계정에 로그인 실패가 많아 잠시 막아 두었습니다. %(seconds)s초 뒤에 다시 시도해 "
                                            "주세요.") % {"seconds": wait}
                raise forms.ValidationError(self.wait_message, code="account_wait")
        return super().clean()


class GuardedAuthenticationForm(GuardMixin, AuthenticationForm):
    """The staff sign-in page."""


class GuardedAdminAuthenticationForm(GuardMixin, AdminAuthenticationForm):
    """The Django admin's own sign-in page: the same limit, or it would be the way round it."""
