"""The per-account limit as an authentication backend: every way of signing in
(ours, the admin's, any later one) calls ``authenticate()``, which asks the backends in
order; this one refuses while the account must wait. The forms ask first only to say
how long."""

from django.core.exceptions import PermissionDenied

from . import guard


class AccountGuardBackend:
    def authenticate(self, request, username=None, **credentials):
        if username and guard.wait_seconds(username, request):
            if request is not None:
                request.account_guard_refused = True  # not a guess: the password was never checked
            raise PermissionDenied
        return None
    # No get_user(): a session never names this backend (force_login and the session
    # middleware take the first backend that has one).
