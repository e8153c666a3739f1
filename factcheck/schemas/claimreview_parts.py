"""The parts of a ClaimReview as publishers write them: people and organisations, appearances, ratings."""
import marshmallow as ma

from factcheck.schemas.claimreview_documents import types_of
from factcheck.schemas.claims import url
from factcheck.schemas.lenient import Dropped, MarkupDate, MarkupText, Optional
from factcheck.schemas.verdicts import check_scale


def first_of(data, *keys: str):
    """JSON-LD lets any property hold a list; where this API keeps one value, take the first."""
    if isinstance(data, dict):
        return {**data, **{k: data[k][0] for k in keys if isinstance(data.get(k), list) and data[k]}}
    return data


class Lenient(ma.Schema):
    """Published markup carries many properties this API does not keep; they are ignored."""

    class Meta:
        unknown = ma.EXCLUDE


class ThingSchema(Lenient):
    """A Person or Organization, or just its name; several of them are named together."""

    name = MarkupText(200, required=True)
    url = Optional(url())
    person = ma.fields.Boolean(load_default=False)

    # Several claimants make one, named together; of several authors the organisation signs.
    JOINED = True

    @ma.pre_load
    def _from_text(self, data, **kwargs):
        if isinstance(data, list) and not self.JOINED:
            organisations = [item for item in data if isinstance(item, dict) and "Person" not in types_of(item)]
            data = (organisations or data or [{}])[0]
        if isinstance(data, list):
            names = [_name(item) for item in data if _name(item)]
            data = {**(data[0] if isinstance(data[0], dict) else {}), "name": ", ".join(names)} if names else {}
        if isinstance(data, dict):
            return {**data, "person": "Person" in types_of(data)}
        return {"name": data} if isinstance(data, str) else data


def _name(thing) -> str:
    name = thing.get("name") if isinstance(thing, dict) else thing
    return name.strip() if isinstance(name, str) else ""


class PublisherSchema(ThingSchema):
    name = MarkupText(200)
    JOINED = False


class AppearanceSchema(Lenient):
    url = url(required=True)
    headline = Optional(MarkupText(1000))
    datePublished = Optional(MarkupDate())
    publisher = Optional(ma.fields.Nested(ThingSchema))

    @ma.pre_load
    def _from_url(self, data, **kwargs):
        if isinstance(data, str):
            return {"url": data}
        if isinstance(data, dict) and "headline" not in data and isinstance(data.get("name"), str):
            data = {**data, "headline": data["name"]}
        return data


class RatingSchema(Lenient):
    alternateName = MarkupText(200, metadata={"description": "The label as published."})
    ratingValue = Optional(ma.fields.Float(allow_nan=False))
    bestRating = Optional(ma.fields.Float(allow_nan=False))
    worstRating = Optional(ma.fields.Float(allow_nan=False))
    ratingExplanation = Optional(MarkupText(20_000))

    @ma.pre_load
    def _label(self, data, **kwargs):
        data = first_of(data)
        if isinstance(data, dict) and not data.get("alternateName") and data.get("name"):
            data = {**data, "alternateName": data["name"]}
        return data

    @ma.post_load
    def _rated(self, data, **kwargs):
        return self._labelled(self._scaled(data))

    @staticmethod
    def _scaled(data: dict) -> dict:
        """Numbers off the scale they were given with are dropped (a warning) when a label
        rates the review, and reject it when nothing else does; a number that could not be
        read was dropped already and bounds nothing."""
        read = {name: value for name in ("ratingValue", "bestRating", "worstRating")
                if isinstance(value := data.get(name), float)}
        if "ratingValue" not in read:
            return data  # the scale is not kept without a value (see _to_claim_and_verdict)
        try:
            check_scale({"rating_value": read["ratingValue"], "best_rating": read.get("bestRating"),
                         "worst_rating": read.get("worstRating")}, {"value": "ratingValue", "best": "bestRating"})
        except ma.ValidationError as error:
            if not data.get("alternateName"):
                raise
            reason = " ".join(message for messages in error.messages.values() for message in messages)
            for name in read:
                data[name] = Dropped([f"{reason} The label rates this review."])
        return data

    @staticmethod
    def _labelled(data: dict) -> dict:
        """A rating with a value but no label is labelled by its value ("2/5")."""
        if "alternateName" not in data:
            value, best = data.get("ratingValue"), data.get("bestRating")
            if not isinstance(value, float):
                raise ma.ValidationError(["A rating needs a label (alternateName) or a ratingValue."],
                                         "alternateName")
            data["alternateName"] = f"{value:g}/{best:g}" if isinstance(best, float) else f"{value:g}"
        return data
