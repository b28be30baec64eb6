from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext

from . import guard


class GuardedAuthenticationForm(AuthenticationForm):
    """Sign-in that first asks the per-account limit (accounts.guard)."""

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
