"""The ClaimReviews of a document as publishers and Google serve them, each one readable alone."""
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

SCHEMA_ORG_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
# A url written without its scheme: "aosfatos.org/noticias/...", "www.example.com".
_SCHEMELESS = re.compile(r"^(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}(?:[/?#:]|$)")
# References inside a node are followed this deep (a reference may name a node that refers back).
_REFERENCE_DEPTH = 4


def types_of(node: dict) -> set[str]:
    """`@type` may be one name or several, bare or as schema.org IRIs."""
    value = node.get("@type")
    names = value if isinstance(value, list) else [value]
    found = set()
    for name in names:
        if isinstance(name, str):
            for prefix in SCHEMA_ORG_PREFIXES:
                name = name.removeprefix(prefix)
            found.add(name.strip())
    return found


def reviews_of(document, base_url: str | None = None) -> list[tuple[str, object]]:
    """Every would-be ClaimReview of a document, with where it sits (JSONPath), its `@id`
    references resolved and its urls made absolute (`base_url`: where the document was
    published, for a review whose own url is relative and whose publisher names no site)."""
    nodes = _identified(document, {})
    return [(path, _absolute(_resolved(node, nodes, _REFERENCE_DEPTH), base_url) if isinstance(node, dict)
             else node) for path, node in _reviews(document, "$")]


def _reviews(node, path: str, in_graph: bool = False) -> Iterator[tuple[str, object]]:
    if isinstance(node, list):
        for i, child in enumerate(node):
            yield from _reviews(child, f"{path}[{i}]", in_graph)
        return
    if isinstance(node, dict) and "ClaimReview" not in types_of(node):
        if isinstance(node.get("claimReview"), list):  # a claim as Google's claims:search returns it
            for i, review in enumerate(node["claimReview"]):
                yield f"{path}.claimReview[{i}]", from_google(node, review)
            return
        # A DataFeed's elements; the Data Commons feed wraps each review in a DataFeedItem;
        # page markup lists its nodes in an @graph; claims:search answers {"claims": [...]}.
        for key in ("dataFeedElement", "item", "@graph", "claims"):
            if key in node:
                yield from _reviews(node[key], f"{path}.{key}", in_graph or key == "@graph")
                return
        if in_graph:
            return  # the page's other nodes (the WebPage, its images, the organisation)
    yield path, node


def from_google(claim: dict, review) -> object:
    """A review of Google's claims:search (`claims[].claimReview[]`) as the ClaimReview it reads."""
    if not isinstance(review, dict):
        return review
    publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
    node = {"@type": "ClaimReview", "url": review.get("url"), "claimReviewed": claim.get("text"),
            "datePublished": review.get("reviewDate"), "inLanguage": review.get("languageCode"),
            "headline": review.get("title"), "reviewRating": {"alternateName": review.get("textualRating")},
            "author": {"name": publisher.get("name"), "url": publisher.get("site")},
            "itemReviewed": {"@type": "Claim", "author": claim.get("claimant"),
                             "datePublished": claim.get("claimDate")}}
    return _without_absent(node)


def _without_absent(value):
    """An empty value says nothing: absent, not invalid."""
    if isinstance(value, dict):
        kept = {key: _without_absent(child) for key, child in value.items()}
        return {key: child for key, child in kept.items() if child not in (None, "", [], {})}
    if isinstance(value, list):
        return [kept for kept in map(_without_absent, value) if kept not in (None, "", [], {})]
    return value.strip() if isinstance(value, str) else value


def _identified(node, nodes: dict) -> dict:
    """Nodes with an @id and something more, by @id, anywhere in the document."""
    if isinstance(node, list):
        for child in node:
            _identified(child, nodes)
    elif isinstance(node, dict):
        if isinstance(node.get("@id"), str) and set(node) - {"@id", "@type"}:
            nodes.setdefault(node["@id"], node)
        for child in node.values():
            _identified(child, nodes)
    return nodes


def _resolved(node, nodes: dict, depth: int):
    """`node` with each bare reference ({"@id": ...}) replaced by the node it names, or, when
    the document holds none and the @id is a url, by that url (an organisation's site)."""
    if isinstance(node, list):
        return [_resolved(child, nodes, depth) for child in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("@id"), str) and not set(node) - {"@id", "@type"}:
        target = nodes.get(node["@id"])
        if target is None or depth == 0:
            return {"url": node["@id"].split("#")[0]} if node["@id"].startswith("http") else node
        node = target
        depth -= 1
    return {key: _resolved(child, nodes, depth) if key != "@id" else child for key, child in node.items()}


def absolute_url(value: str, base: str | None) -> str:
    """`value` as an absolute url: scheme-less ones take https, a path (`/author/devesh`,
    `../x`) resolves on `base`; anything else ("Facebook") is left to be refused."""
    value = value.strip()
    if urlsplit(value).scheme in ("http", "https"):
        return value
    if _SCHEMELESS.match(value):
        return f"https://{value}"
    if base and value.startswith(("/", "./", "../")):
        return urljoin(base, value)
    return value


def _site_url(node: dict) -> str | None:
    for key in ("publisher", "author"):
        things = node.get(key) if isinstance(node.get(key), list) else [node.get(key)]
        for thing in things:
            if isinstance(thing, dict) and isinstance(thing.get("url"), str):
                return absolute_url(thing["url"], None)
    return None


def _page_of(node: dict) -> str | None:
    page = node.get("mainEntityOfPage")
    if isinstance(page, dict):
        page = page.get("url") or page.get("@id")
    for candidate in (page, node.get("@id")):
        if isinstance(candidate, str) and candidate.startswith(("http://", "https://")):
            return candidate.split("#")[0]
    return None


def _absolute(node: dict, base_url: str | None) -> dict:
    """The review with every url it names absolute: its own against its publisher's site (or
    the document's address), the others against the review's url."""
    node = _without_absent(node)
    site = _site_url(node)
    if isinstance(node.get("url"), list) and node["url"]:
        node["url"] = node["url"][0]
    if not isinstance(node.get("url"), str) and (page := _page_of(node)):
        node["url"] = page  # SEO plugins name the review by its page, or by an @id on it
    if isinstance(node.get("url"), str):
        node["url"] = absolute_url(node["url"], site if site and site.startswith("http") else base_url)
    base = node.get("url") if isinstance(node.get("url"), str) else site
    return {key: _urls(child, base) if key != "url" else child for key, child in node.items()}


def _urls(value, base: str | None, key: str | None = None):
    if isinstance(value, list):
        return [_urls(child, base, key) for child in value]
    if isinstance(value, dict):
        return {k: _urls(child, base, k) for k, child in value.items()}
    if isinstance(value, str) and key in ("url", "appearance", "firstAppearance"):
        return absolute_url(value, base)
    return value
