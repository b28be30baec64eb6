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


def network_of(ip: str | None) -> str:
    """The network an address belongs to: its /24 (IPv4) or /48 (IPv6), written out in
    full first so that "2001:db8::1" and "2001:db8:0:1::2" are one network. Text that is
    no address comes back as it is (still a key, never an error)."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return ip or ""
    if address.version == 4:
        return ".".join(str(address).split(".")[:3])
    return ":".join(address.exploded.split(":")[:3])

