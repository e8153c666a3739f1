"""When two names, sites or article urls are one: the keys that sources are stored and found by."""
import hashlib
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
# Parameters a platform adds to a post's address to say who shared it, from which app or
# page, or where a viewer was paging from: none names another post. Stripped on that
# platform's hosts only, because elsewhere the same names mean something (a `t` on YouTube
# is where the video starts, an `s` elsewhere is often a search).
_FACEBOOK = frozenset({
    "__cft__", "__tn__", "__xts__", "__eep__",  # its web client's click tracking on every link it draws
    "comment_tracking", "notif_id", "notif_t", "ref", "refsrc", "fref", "hc_ref", "hc_location",
    "mibextid", "sfnsn", "paipv", "eav",  # shared from its app, Messenger or a page: by whom, whence
    "rdid", "share_url", "_rdr",  # left by the redirect of a share link (/share/p/...)
    "opaquecursor",  # where the photo viewer was paging in the set it was opened from; `fbid` is the photo
})
PLATFORM_TRACKING = {
    **dict.fromkeys(("facebook.com", "fb.com", "fb.watch"), _FACEBOOK),
    # `s` is the app a post was shared from, `t` the sharer's token; `ref_*` an embed's page.
    **dict.fromkeys(("twitter.com", "x.com"), frozenset({"s", "t", "cxt", "ref_src", "ref_url"})),
    "instagram.com": frozenset({"igsh", "ig_rid"}),  # igshid is stripped everywhere
    # The share's id, how it was shared, the search it came from, a channel's name for show:
    # `v`, `t` (where it starts), `list` and `index` name what is watched and are kept.
    **dict.fromkeys(("youtube.com", "youtu.be"), frozenset({"si", "feature", "pp", "ab_channel"})),
    "tiktok.com": frozenset({
        "_r", "_t", "_d", "is_from_webapp", "is_copy_url", "sender_device", "sender_web_id", "share_app_id",
        "share_item_id", "share_link_id", "social_sharing", "tt_from", "u_code", "sec_user_id", "user_id",
        "timestamp", "checksum", "web_id", "preview_pb",
    }),
}
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


def platform_tracking(host: str) -> frozenset[str]:
    """The tracking parameters of the platform serving `host` (a subdomain is its platform's)."""
    while host:
        if host in PLATFORM_TRACKING:
            return PLATFORM_TRACKING[host]
        host = host.partition(".")[2]
    return frozenset()


def _tracking(parameter: str, platform: frozenset[str]) -> bool:
    name = unquote(parameter.split("=", 1)[0]).lower()
    # `__cft__[0]`, `__xts__[0]`: one parameter, numbered.
    return (name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)
            or name.split("[", 1)[0] in platform)


@lru_cache(maxsize=4096)  # a bulk import meets each url several times
def canonical_url(url: str) -> str:
    """An article's identity, and its url as stored.

    http and https are one article (https is kept), as are a host's spellings (case, IDNA,
    `www.`, a default port), a trailing `/`, tracking parameters (a platform's own on its
    hosts, see PLATFORM_TRACKING), the order of query parameters (stable: a repeated one keeps its order), a fragment (a `#!` route is kept)
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
    platform = platform_tracking(host)
    parameters = [p for p in _spelled(parts.query, _QUERY_SAFE).split("&") if p and not _tracking(p, platform)]
    query = "&".join(sorted(parameters, key=lambda p: p.split("=", 1)[0]))
    fragment = _spelled(parts.fragment, _QUERY_SAFE) if parts.fragment.startswith("!") else ""
    return urlunsplit((scheme, netloc, path, query, fragment))


def url_key(url: str) -> str:
    """The key an article is kept unique and found by: its stored url's SHA-256, in hex. An
    index entry of one size however long the url (PostgreSQL refuses btree entries over ~2.7 kB)."""
    return hashlib.sha256(url.encode()).hexdigest()


def site_of(url: str) -> str:
    """The site of an article's url (as normalise_site)."""
    return _host(urlsplit(url.strip()).hostname or "")
