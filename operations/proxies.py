"""Where a request comes from: the connection's peer, or what trusted proxies forwarded.

Anyone can send an X-Forwarded-For header, so it is only read when
TRUSTED_PROXIES (DJANGO_TRUSTED_PROXIES) says which proxies stand in front of
the site. It is either

- a number N: every request passes through N proxies, each appending the
  address it received the request from, and the site cannot be reached
  around them; the client is the Nth address from the end, or
- the proxies' addresses or networks ("10.0.0.0/8, 192.0.2.7"): the header
  is read only on a request from one of them, and from its end, past every
  trusted address, to the first address that is not one.

Unset, the client is REMOTE_ADDR: behind a proxy every request then seems to
come from the proxy.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def parse_trusted_proxies(value):
    """DJANGO_TRUSTED_PROXIES as the setting holds it: None, a count, or a list of networks."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return int(value) or None
    try:
        return [ipaddress.ip_network(part.strip()) for part in value.split(",") if part.strip()]
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES is a number of proxies or their addresses ({error})."
        ) from error


def client_address(request):
    """The address of the client `request` comes from, as far as it can be trusted."""
    peer = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if not trusted:
        return peer
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if isinstance(trusted, int):
        if len(forwarded) < trusted:
            # It did not come through every proxy: nothing in the header is ours.
            return peer
        return _valid(forwarded[-trusted]) or peer
    client = peer
    for address in reversed(forwarded):
        if not _is_trusted(client, trusted):
            break
        if not (valid := _valid(address)):
            break
        client = valid
    return client


def _valid(address):
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _is_trusted(address, networks):
    try:
        address = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(address in network for network in networks)
