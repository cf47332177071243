"""Posting to a webhook subscriber: https to a public address only, that address pinned.

A subscription's URL is typed by an administrator, but its host name is answered by
someone else's DNS. So before a subscription is saved and again before every POST, the
name is resolved and every address it resolves to must be public: not loopback, private,
link-local, multicast, reserved or unspecified, IPv4 or IPv6 (an IPv6 address carrying an
IPv4 one is judged by that one). The POST then connects to one of the very addresses that
were checked, with the name in the Host header and in the TLS server name (SNI), and the
certificate verified against the name: a name that resolves to a public address for the
check and to 127.0.0.1 a moment later (DNS rebinding) reaches nothing inside, because it is
not resolved again. No proxy is used, for the same reason (a proxy resolves the name
itself). Redirects are not followed, and the answer's body is never read.

``EGOV_WEBHOOK_ALLOW_PRIVATE`` (tests and closed networks only) lets plain http and private
addresses through; the address is pinned all the same.
"""

import base64
import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_PORTS = {"https": 443, "http": 80}
# A name with many addresses is tried on at most this many (each may take the connect
# timeout), so a POST ends well within the delivery's lease (webhooks.LEASE).
MAX_ADDRESSES = 3
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeURL(Exception):
    """A URL nothing is posted to; ``message`` tells the administrator why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the name as it goes on the wire (IDNA): Host header, SNI, certificate
    port: int
    path: str
    addresses: tuple  # every address the name resolved to, all checked
    userinfo: str = ""


def is_public(address):
    """Whether a connection to ``address`` leaves for the public Internet."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        # Mapped (::ffff:a.b.c.d), 6to4 and NAT64 addresses end up at their IPv4 address.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
        if ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
        or ip.is_unspecified
    )  # fmt: skip


def check_url(url):
    """The :class:`Target` of ``url``, resolved and checked; :class:`UnsafeURL` otherwise."""
    allow_private = settings.EGOV_WEBHOOK_ALLOW_PRIVATE
    try:
        parts = urlsplit(url)
        port = parts.port
        hostname = parts.hostname
    except ValueError:
        raise UnsafeURL(_("Enter a valid URL.")) from None
    scheme = parts.scheme.lower()
    if scheme != "https" and not (allow_private and scheme == "http"):
        raise UnsafeURL(_("A webhook URL must start with https://."))
    if not hostname:
        raise UnsafeURL(_("Enter a valid URL."))
    try:
        host = hostname if hostname.isascii() else hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise UnsafeURL(_("Enter a valid URL.")) from None
    port = port or DEFAULT_PORTS[scheme]
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        found = []
    addresses = tuple(dict.fromkeys(
        info[4][0] for info in found if info[0] in (socket.AF_INET, socket.AF_INET6)
    ))  # fmt: skip
    if not addresses:
        raise UnsafeURL(_("The host name %(host)s could not be resolved.") % {"host": host})
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise UnsafeURL(
                    _("%(host)s resolves to %(address)s, which is not a public address (loopback, private, "
                      "link-local, multicast, reserved or unspecified): webhooks go to public addresses only.")
                    % {"host": host, "address": address}
                )  # fmt: skip
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    path = quote(path, safe="/?#[]@!$&'()*+,;=:%~")  # an IRI's letters go percent-encoded
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return Target(scheme, host, port, path, addresses, userinfo)


def post(url, body, headers, timeout):
    """POST ``body`` to ``url`` (checked now, its address pinned); returns the status code.

    Raises :class:`UnsafeURL`, or urllib3's errors when no answer came. The next checked
    address is tried only when the connection could not be made (nothing was sent yet).
    """
    target = check_url(url)
    sent = {**headers, "Host": _host_header(target)}
    if target.userinfo:  # https://user:password@host/: basic authentication, as before
        user, _sep, password = target.userinfo.partition(":")
        token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")
        sent["Authorization"] = f"Basic {token}"
    failure = None
    for address in target.addresses[:MAX_ADDRESSES]:
        pool = _pool(target, address, timeout)
        try:
            answer = pool.urlopen("POST", target.path, body=body, headers=sent, redirect=False, retries=False,
                                  preload_content=False, assert_same_host=False)  # fmt: skip
            status = answer.status
            answer.close()  # the body stays unread: it is never stored or shown
            return status
        except urllib3.exceptions.ConnectTimeoutError as exc:  # no connection (NewConnectionError too)
            failure = exc
        finally:
            pool.close()
    raise failure


def describe(exc):
    """A short line for the delivery log: the exception's class and a reason of our own.
    The exception's text is not kept: it may quote what the receiver sent."""
    reasons = [
        (urllib3.exceptions.NewConnectionError, _("could not connect")),
        (urllib3.exceptions.TimeoutError, _("no answer in time")),
        (urllib3.exceptions.SSLError, _("TLS failed: a certificate not valid for the host, or a failed handshake")),
        (urllib3.exceptions.ProtocolError, _("the connection broke off, or the answer was not HTTP")),
    ]
    reason = next((text for kind, text in reasons if isinstance(exc, kind)), "")
    return f"{type(exc).__name__}: {reason}" if reason else type(exc).__name__


def _host_header(target):
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == DEFAULT_PORTS[target.scheme] else f"{host}:{target.port}"


def _pool(target, address, timeout):
    """A connection pool to ``address`` itself: nothing resolves the name again."""
    options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False, "maxsize": 1}
    if target.scheme == "http":
        return urllib3.HTTPConnectionPool(address, target.port, **options)
    return urllib3.HTTPSConnectionPool(
        address, target.port, cert_reqs="CERT_REQUIRED", ca_certs=_ca_bundle(),
        server_hostname=target.host, assert_hostname=target.host, **options,
    )  # fmt: skip


def _ca_bundle():
    # The authorities requests trusted before (a closed network's own CA keeps working).
    return os.environ.get("REQUESTS_CA_BUNDLE") or certifi.where()
