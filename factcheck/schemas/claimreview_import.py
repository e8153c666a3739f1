"""Reading ClaimReview JSON-LD as publishers write it: one object, an array, or a DataFeed."""
from collections.abc import Iterator
from urllib.parse import urlsplit

import marshmallow as ma
from marshmallow import validate

from factcheck.identity import canonical_url
from factcheck.schemas import json_input
from factcheck.schemas.claims import LanguageTag, url
from factcheck.schemas.common import past_datetime, text, utc_datetime
from factcheck.schemas.verdicts import check_scale

SCHEMA_ORG_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
SITE = validate.Regexp(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", error="Not a site domain such as politifact.com.")


def types_of(node: dict) -> set[str]:
    """`@type` may be one name or several, bare or as schema.org IRIs."""
    value = node.get("@type")
    names = value if isinstance(value, list) else [value]
    found = set()
    for name in names:
        if isinstance(name, str):
            for prefix in SCHEMA_ORG_PREFIXES:
                name = name.removeprefix(prefix)
            found.add(name)
    return found


def _first(data, *keys: str):
    """JSON-LD lets any property hold a list; where this API keeps one value, take the first."""
    if isinstance(data, dict):
        return {**data, **{k: data[k][0] for k in keys if isinstance(data.get(k), list) and data[k]}}
    return data


def _urlless(source) -> bool:
    return isinstance(source, dict) and not source.get("url")


class Lenient(ma.Schema):
    """Published markup carries many properties this API does not keep; they are ignored."""

    class Meta:
        unknown = ma.EXCLUDE


class ThingSchema(Lenient):
    """A Person or Organization, or just its name."""

    name = text(200, required=True)
    url = url()

    @ma.pre_load
    def _from_text(self, data, **kwargs):
        data = data[0] if isinstance(data, list) and data else data
        return {"name": data} if isinstance(data, str) else data


class PublisherSchema(ThingSchema):
    name = text(200)


class AppearanceSchema(Lenient):
    url = url(required=True)
    headline = text(1000)
    datePublished = utc_datetime()
    publisher = ma.fields.Nested(ThingSchema)

    @ma.pre_load
    def _from_url(self, data, **kwargs):
        if isinstance(data, str):
            return {"url": data}
        if isinstance(data, dict) and "headline" not in data and isinstance(data.get("name"), str):
            data = {**data, "headline": data["name"]}
        return data


class RatingSchema(Lenient):
    alternateName = text(200, required=True, metadata={"description": "The label as published."})
    ratingValue = ma.fields.Float(allow_nan=False)
    bestRating = ma.fields.Float(allow_nan=False)
    worstRating = ma.fields.Float(allow_nan=False)
    ratingExplanation = text(20_000)

    @ma.pre_load
    def _label(self, data, **kwargs):
        data = _first(data)
        if isinstance(data, dict) and "alternateName" not in data and "name" in data:
            data = {**data, "alternateName": data["name"]}
        return data

    @ma.validates_schema
    def _scale(self, data, **kwargs):
        if "ratingValue" not in data:
            return  # the scale is not kept without a value (see _to_claim_and_verdict)
        check_scale({"rating_value": data.get("ratingValue"), "best_rating": data.get("bestRating"),
                     "worst_rating": data.get("worstRating")}, {"value": "ratingValue", "best": "bestRating"})


class ClaimSchema(Lenient):
    author = ma.fields.Nested(ThingSchema)
    appearance = ma.fields.List(ma.fields.Nested(AppearanceSchema), validate=validate.Length(max=100))
    firstAppearance = ma.fields.Nested(AppearanceSchema)
    datePublished = utc_datetime()
    inLanguage = LanguageTag()

    @ma.pre_load
    def _lists(self, data, **kwargs):
        data = _first(data, "firstAppearance")
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "appearance" in data and not isinstance(data["appearance"], list):
            data["appearance"] = [data["appearance"]]
        # A source without a url cannot be stored (articles are kept by url): skip it
        # rather than refuse the review.
        if isinstance(data.get("appearance"), list):
            data["appearance"] = [a for a in data["appearance"] if not _urlless(a)]
        if _urlless(data.get("firstAppearance")):
            del data["firstAppearance"]
        return data


class ImportedClaimReviewSchema(Lenient):
    """One ClaimReview, read into a claim (as POST /claims takes it) and a verdict."""

    url = url(required=True, metadata={"description": "Reviews are keyed on it."})
    claimReviewed = text(5_000, required=True)
    author = ma.fields.Nested(PublisherSchema)
    reviewRating = ma.fields.Nested(RatingSchema, required=True)
    itemReviewed = ma.fields.Nested(ClaimSchema, load_default=dict)
    datePublished = past_datetime()
    inLanguage = LanguageTag()

    @ma.pre_load
    def _one_each(self, data, **kwargs):
        if isinstance(data, dict) and "ClaimReview" not in types_of(data):
            raise ma.ValidationError(["Not a ClaimReview."], "@type")
        return _first(data, "author", "reviewRating", "itemReviewed")

    @ma.validates_schema
    def _publisher_site(self, data, **kwargs):
        try:
            SITE(_site(data))
        except ma.ValidationError as error:
            raise ma.ValidationError(error.messages, "author") from None

    @ma.post_load
    def _to_claim_and_verdict(self, data, **kwargs):
        item, rating, publisher = data["itemReviewed"], data["reviewRating"], data.get("author") or {}
        claim = {"text": data["claimReviewed"], "appearances": _sources(item)}
        if language := item.get("inLanguage") or data.get("inLanguage"):
            claim["language"] = language  # else detected from the text
        if item.get("author"):
            claim["claimant"] = {"name": item["author"]["name"]}
        verdict = {"publisher": {"name": publisher.get("name") or _site(data), "site": _site(data)},
                   "rating": rating["alternateName"], "url": data["url"],
                   "explanation": rating.get("ratingExplanation"), "review_date": data.get("datePublished")}
        if "ratingValue" in rating:  # a scale without a value rates nothing
            verdict.update(rating_value=rating["ratingValue"], best_rating=rating.get("bestRating"),
                           worst_rating=rating.get("worstRating"))
        return {"claim": claim, "verdict": verdict}


def _sources(item: dict) -> list[dict]:
    """Appearances as POST /claims takes them; firstAppearance is usually listed in
    `appearance` too, so sources with one url (identity.canonical_url) are merged."""
    first = item.get("firstAppearance")
    listed = [source for source in [first, *item.get("appearance", ())] if source]
    if listed and item.get("datePublished"):
        # The claim's date is when it first appeared: kept on the earliest source.
        listed[0] = {"datePublished": item["datePublished"], **listed[0]}
    merged: dict[str, dict] = {}
    for source in listed:
        key = canonical_url(source["url"])
        merged[key] = {**build_appearance(source), **merged.get(key, {})}
    return list(merged.values())


def _site(data: dict) -> str:
    """The publisher's site: from its url, else (as Google does) from the review's url."""
    publisher_url = (data.get("author") or {}).get("url") or data["url"]
    return (urlsplit(publisher_url).hostname or "").lower().removeprefix("www.")


def build_appearance(data: dict) -> dict:
    appearance = {"url": data["url"], "stance": "reports"}
    if data.get("headline"):
        appearance["title"] = data["headline"]
    if data.get("datePublished"):
        appearance["published_at"] = data["datePublished"]
    if data.get("publisher"):
        appearance["outlet"] = {"name": data["publisher"]["name"]}
    return appearance


def _reviews(node, path: str) -> Iterator[tuple[str, object]]:
    """Every would-be ClaimReview of a document, with where it sits (JSONPath)."""
    if isinstance(node, list):
        for i, child in enumerate(node):
            yield from _reviews(child, f"{path}[{i}]")
        return
    if isinstance(node, dict) and "ClaimReview" not in types_of(node):
        # A DataFeed's elements; the Data Commons feed wraps each review in a DataFeedItem;
        # page markup often lists its nodes in an @graph.
        for key in ("dataFeedElement", "item", "@graph"):
            if key in node:
                yield from _reviews(node[key], f"{path}.{key}")
                return
    yield path, node


class ClaimReviewDocumentSchema(Lenient):
    """Its reviews, each read on its own: a malformed one is reported, not fatal."""

    items = ma.fields.List(ma.fields.Raw(), required=True)

    @ma.pre_load
    def _unwrap(self, data, **kwargs):
        if not isinstance(data, (dict, list)):
            raise ma.ValidationError(["Send a ClaimReview, an array of them, or a DataFeed."], "_schema")
        return {"items": list(_reviews(data, "$"))}

    @ma.post_load
    def _read_reviews(self, data, **kwargs):
        reviews, rejected, schema = [], [], ImportedClaimReviewSchema()
        for index, (path, item) in enumerate(data["items"]):
            try:
                if not isinstance(item, dict):
                    raise ma.ValidationError(["Not a JSON object."], "_schema")
                if broken := json_input.problems(item)[1]:  # undecodable bytes in a file
                    raise ma.ValidationError(broken)
                reviews.append({"index": index, "path": path, **schema.load(item)})
            except ma.ValidationError as error:
                messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
                rejected.append({"index": index, "path": path, "errors": messages})
        return {"reviews": reviews, "rejected": rejected}
