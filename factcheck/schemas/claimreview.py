"""schema.org ClaimReview JSON-LD as this API publishes it, and the import summary."""
import marshmallow as ma

from factcheck.models import Appearance, Claim

CONTEXT = "https://schema.org"


def first_appearance(claim: Claim) -> Appearance | None:
    """The earliest dated source; undated ones count in the order they were recorded."""
    dated = [a for a in claim.appearances if a.article.published_at is not None]
    if dated:
        return min(dated, key=lambda a: (a.article.published_at, a.id))
    return claim.appearances[0] if claim.appearances else None


class PublisherOrganizationSchema(ma.Schema):
    type = ma.fields.Constant("Organization", data_key="@type")
    name = ma.fields.String()
    url = ma.fields.Function(lambda publisher: f"https://{publisher.site}",
                             metadata={"description": "The publisher's site."})


class CreativeWorkSchema(ma.Schema):
    """A source that printed the claim."""

    type = ma.fields.Constant("CreativeWork", data_key="@type")
    url = ma.fields.String(attribute="article.url")
    headline = ma.fields.String(attribute="article.title")
    datePublished = ma.fields.DateTime(attribute="article.published_at")
    publisher = ma.fields.Function(
        lambda a: {"@type": "Organization", "name": a.article.outlet.name},
        metadata={"description": "The outlet, as an Organization with its name."})

    @ma.post_dump
    def _drop_empty(self, data, **kwargs):
        return {key: value for key, value in data.items() if value is not None}


class ClaimReviewedSchema(ma.Schema):
    """The claim as schema.org Claim: who made it and every source that printed it."""

    type = ma.fields.Constant("Claim", data_key="@type")
    author = ma.fields.Method("_author", metadata={"description": "The claimant, as a Person with its name."})
    datePublished = ma.fields.Method("_date", metadata={"description": "When it was made, else first printed, "
                                                                       "if known."})
    inLanguage = ma.fields.String(attribute="language")
    appearance = ma.fields.List(ma.fields.Nested(CreativeWorkSchema), attribute="appearances")
    firstAppearance = ma.fields.Method("_first", metadata={"description": "The earliest source."})

    def _author(self, claim: Claim):
        # Claimants are stored by name only, not as people or organisations; Person is the
        # commoner case (see the issue 6 report).
        return claim.claimant and {"@type": "Person", "name": claim.claimant.name}

    def _date(self, claim: Claim):
        if claim.claim_date:
            return claim.claim_date_as_published or claim.claim_date.isoformat()
        first = first_appearance(claim)
        return first and first.article.published_at and first.article.published_at.isoformat()

    def _first(self, claim: Claim):
        first = first_appearance(claim)
        return first and CreativeWorkSchema().dump(first)

    @ma.post_dump
    def _drop_empty(self, data, **kwargs):
        return {key: value for key, value in data.items() if value not in (None, [])}


class RatingSchema(ma.Schema):
    type = ma.fields.Constant("Rating", data_key="@type")
    alternateName = ma.fields.String(attribute="rating", metadata={"description": "The label as published."})
    ratingValue = ma.fields.Float(attribute="rating_value",
                                  metadata={"description": "Only when the publisher gave a number."})
    bestRating = ma.fields.Float(attribute="best_rating")
    worstRating = ma.fields.Float(attribute="worst_rating")
    ratingExplanation = ma.fields.String(attribute="explanation")

    @ma.post_dump
    def _drop_empty(self, data, **kwargs):
        return {key: value for key, value in data.items() if value is not None}


class ClaimReviewSchema(ma.Schema):
    """One verdict as schema.org ClaimReview."""

    context = ma.fields.Constant(CONTEXT, data_key="@context")
    type = ma.fields.Constant("ClaimReview", data_key="@type")
    url = ma.fields.String(metadata={"description": "The review; omitted when the verdict has none."})
    datePublished = ma.fields.Function(
        lambda verdict: verdict.review_date_as_published or (verdict.review_date and verdict.review_date.isoformat()),
        metadata={"description": "As the review gave it (a day, or a time with its offset) when imported."})
    claimReviewed = ma.fields.String(attribute="claim.text")
    author = ma.fields.Nested(PublisherOrganizationSchema, attribute="signed_by",
                              metadata={"description": "The publisher of the verdict, as it signed it."})
    reviewRating = ma.fields.Function(lambda verdict: RatingSchema().dump(verdict),
                                      metadata={"description": "A schema.org Rating."})
    itemReviewed = ma.fields.Nested(ClaimReviewedSchema, attribute="claim")

    @ma.post_dump
    def _drop_empty(self, data, **kwargs):
        return {key: value for key, value in data.items() if value is not None}


class DataFeedSchema(ma.Schema):
    """A page of the review feed; `next_cursor` and the Link header lead to the next one."""

    context = ma.fields.Constant(CONTEXT, data_key="@context")
    type = ma.fields.Constant("DataFeed", data_key="@type")
    name = ma.fields.Constant("factcheck ClaimReview feed")
    dataFeedElement = ma.fields.List(ma.fields.Nested(ClaimReviewSchema), attribute="items")
    next_cursor = ma.fields.String(
        allow_none=True, metadata={"description": "Pass as `cursor` for the next page; null on the last page."})


class RejectedSchema(ma.Schema):
    index = ma.fields.Integer(metadata={"description": "0-based position among the document's reviews."})
    path = ma.fields.String(metadata={"description": "Where it sits, e.g. `dataFeedElement[3].item[0]`."})
    errors = ma.fields.Dict(metadata={"description": "Field -> messages, as in validation problems."})


class WarnedSchema(ma.Schema):
    index = ma.fields.Integer(metadata={"description": "0-based position among the document's reviews."})
    path = ma.fields.String(metadata={"description": "Where it sits, e.g. `@graph[2]`."})
    warnings = ma.fields.Dict(metadata={"description": "Property -> why it was dropped; the review was imported "
                                                       "without it."})


class ImportSummarySchema(ma.Schema):
    created = ma.fields.Integer(metadata={"description": "Reviews not seen before (by url)."})
    updated = ma.fields.Integer(metadata={"description": "Known reviews that changed."})
    unchanged = ma.fields.Integer()
    rejected = ma.fields.List(ma.fields.Nested(RejectedSchema))
    warnings = ma.fields.List(ma.fields.Nested(WarnedSchema))

