"""Where webhooks may go: public addresses only, checked when the host is resolved, and
connected to as checked (a second lookup could answer otherwise: DNS rebinding)."""
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(ValueError):
    """The url names no receiver a webhook may reach; the message says why."""


def is_public(ip: IPAddress) -> bool:
    """Whether the address is on the public internet: not loopback, private, link-local,
    multicast, reserved or unspecified, nor an IPv6 form of an IPv4 address that is."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:  # ::ffff:a.b.c.d reaches a.b.c.d
            return is_public(ip.ipv4_mapped)
        if not all(is_public(inner) for inner in (ip.sixtofour, ip.teredo and ip.teredo[1]) if inner):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


@dataclass(frozen=True)
class Target:
    """A receiver resolved: its url's parts and the addresses to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[IPAddress, ...]


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host names, as the operating system reads it: numeric forms such as
    `2130706433` or `0x7f.1` included (they never reach DNS)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"{host} does not resolve ({error}).") from error
    # A zone (fe80::1%eth0) names an interface, not another address.
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in found))


def target(url: str, allow_private: bool = False) -> Target:
    """The receiver at `url`, refused unless every address its host resolves to is public
    (or `allow_private`, for receivers on the operator's own network)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("Only http and https urls with a host are delivered to.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = parts.hostname.encode("idna").decode("ascii") if not parts.hostname.isascii() else parts.hostname
    except (ValueError, UnicodeError) as error:
        raise Refused(f"The host or the port is not valid ({error}).") from error
    addresses = resolve(host, port)
    if not allow_private and (blocked := [ip for ip in addresses if not is_public(ip)]):
        raise Refused(f"{host} resolves to {blocked[0]}, which is not a public address.")
    path = parts.path or "/"
    return Target(parts.scheme, host, port, f"{path}?{parts.query}" if parts.query else path, tuple(addresses))


def _connect(addresses: tuple[IPAddress, ...], port: int, timeout: float) -> socket.socket:
    """A connection to the first of the checked addresses that answers."""
    error: OSError = OSError("no address to connect to")
    for ip in addresses:
        try:
            return socket.create_connection((str(ip), port), timeout=timeout)
        except OSError as failed:
            error = failed
    raise error


class _Connection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.addresses = target.addresses

    def connect(self) -> None:
        self.sock = _connect(self.addresses, self.port, self.timeout)


class _TLSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.addresses = target.addresses

    def connect(self) -> None:
        # The certificate is checked against the host name, while the socket goes to the address.
        self.sock = self.tls.wrap_socket(_connect(self.addresses, self.port, self.timeout),
                                         server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict, timeout: float) -> tuple[int, str]:
    """POST the body and return the status and reason; a redirect is an answer like any
    other, never followed (a receiver that moved registers its new url)."""
    connection = (_TLSConnection if target.scheme == "https" else _Connection)(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)
        return response.status, response.reason
    finally:
        connection.close()
