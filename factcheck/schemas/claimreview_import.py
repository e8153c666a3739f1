"""Reading ClaimReview JSON-LD as publishers write it: an object, an array, a DataFeed, an @graph or claims:search."""
from urllib.parse import urlsplit

import marshmallow as ma
from marshmallow import validate

from factcheck.identity import canonical_url, is_site, normalise_site
from factcheck.models.claims import REVIEW_URL_LENGTH
from factcheck.schemas import json_input
from factcheck.schemas.claimreview_documents import reviews_of, types_of
from factcheck.schemas.claimreview_parts import (
    AppearanceSchema,
    Lenient,
    PublisherSchema,
    RatingSchema,
    ThingSchema,
    first_of,
)
from factcheck.schemas.claims import url
from factcheck.schemas.lenient import MarkupDate, MarkupLanguage, MarkupText, Optional, pop_dropped

__all__ = ["ClaimReviewDocumentSchema", "ImportedClaimReviewSchema", "types_of"]



class ClaimSchema(Lenient):
    url = Optional(url(), metadata={"description": "Where the claim was made: kept as an appearance."})
    author = Optional(ma.fields.Nested(ThingSchema))
    appearance = ma.fields.List(Optional(ma.fields.Nested(AppearanceSchema)), validate=validate.Length(max=100))
    firstAppearance = Optional(ma.fields.Nested(AppearanceSchema))
    datePublished = Optional(MarkupDate())
    inLanguage = Optional(MarkupLanguage())

    @ma.pre_load
    def _lists(self, data, **kwargs):
        data = first_of(data, "firstAppearance", "url", "datePublished", "inLanguage")
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "appearance" in data and not isinstance(data["appearance"], list):
            data["appearance"] = [data["appearance"]]
        # A source without a url cannot be stored (articles are kept by url): skip it quietly.
        if isinstance(data.get("appearance"), list):
            data["appearance"] = data["appearance"][:100]
            data["appearance"] = [a for a in data["appearance"] if not _urlless(a)]
        if _urlless(data.get("firstAppearance")):
            del data["firstAppearance"]
        return data


def _urlless(source) -> bool:
    return isinstance(source, dict) and not source.get("url")


class ImportedClaimReviewSchema(Lenient):
    """One ClaimReview, read into a claim (as POST /claims takes it), a verdict, and warnings."""

    url = url(REVIEW_URL_LENGTH, required=True, metadata={"description": "Reviews are keyed on it."})
    claimReviewed = MarkupText(5_000, required=True)
    author = Optional(ma.fields.Nested(PublisherSchema))
    publisher = Optional(ma.fields.Nested(PublisherSchema))
    reviewRating = ma.fields.Nested(RatingSchema, required=True)
    itemReviewed = Optional(ma.fields.Nested(ClaimSchema), load_default=dict)
    datePublished = Optional(MarkupDate(past=True))
    inLanguage = Optional(MarkupLanguage())

    @ma.pre_load
    def _one_each(self, data, **kwargs):
        if isinstance(data, dict) and "ClaimReview" not in types_of(data):
            raise ma.ValidationError(["Not a ClaimReview."], "@type")
        return first_of(data, "reviewRating", "itemReviewed", "url", "datePublished", "inLanguage")

    @ma.validates_schema
    def _publisher_site(self, data, **kwargs):
        if not is_site(_site(data)):
            raise ma.ValidationError(["Not a site domain such as politifact.com."], "author")

    @ma.post_load
    def _to_claim_and_verdict(self, data, **kwargs):
        warnings = pop_dropped(data)
        item, rating, publisher = data.get("itemReviewed") or {}, data["reviewRating"], _publisher(data)
        claim = {"text": data["claimReviewed"], "appearances": _sources(item)}
        if dated := item.get("datePublished"):
            claim.update(claim_date=dated.at, claim_date_as_published=dated.as_published)
        if language := item.get("inLanguage") or data.get("inLanguage"):
            claim["language"] = language  # else detected from the text
        if item.get("author"):
            claim["claimant"] = {"name": item["author"]["name"]}
        dated = data.get("datePublished")
        verdict = {"publisher": {"name": publisher.get("name") or _site(data), "site": _site(data)},
                   "rating": rating["alternateName"], "url": data["url"],
                   "explanation": rating.get("ratingExplanation"), "review_date": dated and dated.at,
                   "review_date_as_published": dated and dated.as_published}
        if "ratingValue" in rating:  # a scale without a value rates nothing
            verdict.update(rating_value=rating["ratingValue"], best_rating=rating.get("bestRating"),
                           worst_rating=rating.get("worstRating"))
        return {"claim": claim, "verdict": verdict, "warnings": warnings}


def _sources(item: dict) -> list[dict]:
    """Appearances as POST /claims takes them: where the claim was made (itemReviewed.url),
    firstAppearance and every appearance, those with one url (identity.canonical_url) merged."""
    first = item.get("firstAppearance")
    made = {"url": item["url"]} if item.get("url") else None
    listed = [source for source in [first, made, *item.get("appearance", ())] if source]
    if listed and item.get("datePublished"):
        # The claim's date is when it first appeared: kept on the earliest source.
        listed[0] = {"datePublished": item["datePublished"], **listed[0]}
    merged: dict[str, dict] = {}
    for source in listed:
        key = canonical_url(source["url"])
        merged[key] = {**build_appearance(source), **merged.get(key, {})}
    return list(merged.values())


def _publisher(data: dict) -> dict:
    """Who signs the review: its publisher, else its author unless that is a person (a
    journalist, whose organisation is then known by the review's site alone)."""
    for key in ("publisher", "author"):
        thing = data.get(key)
        if isinstance(thing, dict) and not (key == "author" and thing.get("person")):
            return thing
    return {}


def _site(data: dict) -> str:
    """The publisher's site: from its url, else (as Google does) from the review's url."""
    publisher = _publisher(data)
    publisher_url = publisher.get("url") if isinstance(publisher.get("url"), str) else data["url"]
    return normalise_site(urlsplit(publisher_url).hostname or "")


def build_appearance(data: dict) -> dict:
    appearance = {"url": data["url"], "stance": "reports"}
    if data.get("headline"):
        appearance["title"] = data["headline"]
    if data.get("datePublished"):
        appearance["published_at"] = data["datePublished"].at
    if data.get("publisher"):
        appearance["outlet"] = {"name": data["publisher"]["name"]}
    return appearance


class ClaimReviewDocumentSchema(Lenient):
    """Its reviews, each read on its own: a malformed one is reported, not fatal."""

    items = ma.fields.List(ma.fields.Raw(), required=True)

    def __init__(self, *, base_url: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url  # where the document was published

    @ma.pre_load
    def _unwrap(self, data, **kwargs):
        if not isinstance(data, (dict, list)):
            raise ma.ValidationError(["Send a ClaimReview, an array of them, or a DataFeed."], "_schema")
        return {"items": reviews_of(data, self.base_url)}

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
