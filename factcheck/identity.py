"""When two names, sites or article urls are one: the keys that sources are stored and found by."""
import re
import string
import unicodedata
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import idna

# Query parameters that say how a reader reached an article, not which article it is.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "mkt_tok", "_hsenc", "_hsmi", "oly_anon_id", "oly_enc_id",
    "vero_id", "wickedid", "rb_clickid", "s_cid",
})
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}

# Code points that show nothing besides the format characters (category Cf: zero-width
# space and joiners, BOM, soft hyphen, bidi marks): the Unicode default-ignorable fillers
# and variation selectors.
_IGNORABLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0" + "".join(map(chr, range(0xFE00, 0xFE10))))
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/:@!$&'()*+,;="
_QUERY_SAFE = _PATH_SAFE + "?"


def _invisible(char: str) -> bool:
    return not char.isspace() and (unicodedata.category(char) in ("Cf", "Cc") or char in _IGNORABLE)


def display_name(name: str) -> str:
    """A claimant's or outlet's name as stored and shown: NFKC, invisible characters
    removed, whitespace collapsed ("Ｒｅｕｔｅｒｓ\u200b " is "Reuters"); "" if nothing shows."""
    visible = "".join(char for char in name if not _invisible(char))
    return " ".join(unicodedata.normalize("NFKC", visible).split())


def name_key(name: str) -> str:
    """Names with one key are one claimant: the display name, case-folded (NFKC_Casefold)."""
    return unicodedata.normalize("NFKC", display_name(name).casefold())


def _host(host: str) -> str:
    """A host in one spelling: lower-case ASCII (IDNA as browsers resolve it, UTS 46), no
    trailing dot, no `www.`."""
    host = host.strip().lower().rstrip(".")
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except UnicodeError:  # idna.IDNAError is one
            pass  # not a name IDNA can encode: kept as given, lower-cased
    return host.removeprefix("www.")


# A site once normalised: labels of letters, digits and hyphens, and a top-level domain of
# letters or an IDNA one.
_SITE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")


def is_site(site: str) -> bool:
    """Whether a normalised site (normalise_site) names a host such as fullfact.org."""
    return len(site) <= 253 and _SITE.match(site) is not None


def normalise_site(site: str) -> str:
    """A publisher's, newsroom's or outlet's identity: its host, lower-cased, IDNA-encoded,
    without `www.` ("https://www.Bücher.example/" and "xn--bcher-kva.example" are one site)."""
    site = site.strip()
    return _host((urlsplit(site).hostname or "") if "//" in site else site.split("/")[0])


def _spelled(part: str, safe: str) -> str:
    """One spelling of a url's path or query: unreserved characters unescaped, other escapes
    in upper case, anything else a url cannot hold escaped as UTF-8."""
    part = _STRAY_PERCENT.sub("%25", part)
    part = _ESCAPE.sub(lambda m: chr(int(m[1], 16)) if chr(int(m[1], 16)) in _UNRESERVED else m[0].upper(), part)
    return quote(part, safe=safe + "%")


def _tracking(parameter: str) -> bool:
    name = unquote(parameter.split("=", 1)[0]).lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=4096)  # a bulk import meets each url several times
def canonical_url(url: str) -> str:
    """An article's identity, and its url as stored.

    http and https are one article (https is kept), as are a host's spellings (case, IDNA,
    `www.`, a default port), a trailing `/`, tracking parameters, the order of query
    parameters (stable: a repeated one keeps its order), a fragment (a `#!` route is kept)
    and percent-encoding (see _spelled). Raises ValueError for what is not an http(s) url.
    """
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), _host(parts.hostname or "")
    if scheme not in DEFAULT_PORTS or not host:
        raise ValueError("Not an http(s) url.")
    host = f"[{host}]" if ":" in host else host
    if parts.port in (None, DEFAULT_PORTS[scheme]):
        scheme, netloc = "https", host
    else:  # another port may serve http alone
        netloc = f"{host}:{parts.port}"
    path = _spelled(parts.path, _PATH_SAFE).rstrip("/") or "/"
    parameters = [p for p in _spelled(parts.query, _QUERY_SAFE).split("&") if p and not _tracking(p)]
    query = "&".join(sorted(parameters, key=lambda p: p.split("=", 1)[0]))
    fragment = _spelled(parts.fragment, _QUERY_SAFE) if parts.fragment.startswith("!") else ""
    return urlunsplit((scheme, netloc, path, query, fragment))


def site_of(url: str) -> str:
    """The site of an article's url (as normalise_site)."""
    return _host(urlsplit(url.strip()).hostname or "")
