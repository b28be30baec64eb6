"""A deployment behind a TLS proxy that has not said how many proxies add to
X-Forwarded-For counts every client as the proxy (see addresses.py)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.translation import gettext as _


@register(Tags.security, deploy=True)
def proxy_without_client_addresses(app_configs, **kwargs):
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not getattr(settings, "INTEGRITY_PROXY_COUNT", 0):
        return [Warning(
            _("프록시 뒤에서 실행되는데 INTEGRITY_PROXY_COUNT가 0입니다: 모든 요청이 프록시 주소에서 온 것으로 세어져 "
              "한 사람의 잘못된 시도가 모두의 링크 확인과 로그인을 막습니다."),
            hint=_("앞에 둔 프록시의 수를 INTEGRITY_PROXY_COUNT에 적으세요 (보통 1)."),
            id="integrity.W001",
        )]
    return []
