"""The address a request came from, as every rate limit counts it.

Behind a reverse proxy every request arrives from the proxy: counted by REMOTE_ADDR,
one guesser would throttle everybody's wrong links, lock every account's sign-in
through axes, and make the proxy a "known network" exempt from the per-account wait.
``INTEGRITY_PROXY_COUNT`` says how many proxies of our own stand in front; each
appends the address it saw to X-Forwarded-For, so the client is that many entries from
the right. Entries further left are whatever the client sent and are never read; with
no proxy configured the header is ignored altogether (anyone can send it).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "INTEGRITY_PROXY_COUNT", 0)
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote  # not through all our proxies: only the connection itself is known
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
