"""Claims, their appearances and verdicts."""
from flask import g, url_for
from flask.views import MethodView

from factcheck.api.auth import ETAG_HEADER, current_actor, etag, expected_version, optional_token, requires
from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import LINK_HEADER, page_response, returns
from factcheck.schemas.accounts import HistoryPageSchema
from factcheck.schemas.claims import (
    AppearanceCreateSchema,
    AppearanceSchema,
    ClaimCreateSchema,
    ClaimListArgsSchema,
    ClaimPageSchema,
    ClaimRemoveArgsSchema,
    ClaimSchema,
    ClaimUpdateSchema,
    ContestedArgsSchema,
)
from factcheck.schemas.common import PageArgsSchema
from factcheck.schemas.verdicts import VerdictCreateSchema, VerdictSchema
from factcheck.services.claims import edits as claim_edits
from factcheck.services.claims import history
from factcheck.services.claims import records as claims
from factcheck.services.verdicts import reviews as verdicts

LOCATION = {"Location": {"schema": {"type": "string"}, "description": "The claim's url."}}
blp = Blueprint("claims", __name__, url_prefix="/api/v1/claims", description="Claims and their sources")


@blp.route("")
class Claims(MethodView):
    @blp.arguments(ClaimListArgsSchema, location="query")
    @returns(blp, 200, ClaimPageSchema, headers=LINK_HEADER)
    def get(self, args):
        """List claims, newest (or most asked about) first"""
        return page_response(claims.list_claims(args))

    @requires(blp, "factchecker")
    @blp.arguments(ClaimCreateSchema)
    @returns(blp, 201, ClaimSchema, headers=LOCATION, description="The claim, stored now.")
    @returns(blp, 200, ClaimSchema, headers=LOCATION, description=(
        "A claim with exactly this text (once trimmed) was stored already: that claim, given the "
        "claimant and the appearances it lacked."))
    @blp.alt_response(400, description="The body is not valid JSON.")
    def post(self, data):
        """Record a claim with its sources, or add them to the claim stored with its text"""
        claim_id, created = claims.record_claim(data, g.actor)
        location = {"Location": url_for("claims.Claim", claim_id=claim_id)}
        return claims.get_claim(claim_id), 201 if created else 200, location


@blp.route("/contested")
class Contested(MethodView):
    @blp.arguments(ContestedArgsSchema, location="query")
    @returns(blp, 200, ClaimPageSchema, headers=LINK_HEADER)
    def get(self, args):
        """List contested claims, most contested (or most asked about) first"""
        return page_response(claims.list_contested(args))


@blp.route("/<id:claim_id>")
class Claim(MethodView):
    @returns(blp, 200, ClaimSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No claim has this id.")
    @blp.alt_response(410, description="An editor removed the claim; the detail says why.")
    def get(self, claim_id):
        """Show a claim with its appearances, verdicts, status and consensus"""
        document = claims.get_claim(claim_id)
        return document, etag(document["version"])

    @requires(blp, "factchecker")
    @blp.arguments(ClaimUpdateSchema)
    @returns(blp, 200, ClaimSchema, headers=ETAG_HEADER)
    @blp.alt_response(400, description="The body is not valid JSON.")
    @blp.alt_response(404, description="No claim has this id.")
    @blp.alt_response(409, description="Another claim has this text.")
    @blp.alt_response(410, description="An editor removed the claim.")
    def patch(self, changes, claim_id):
        """Correct a claim's text, claimant or language (any newsroom's fact-checker); a new text is linked again"""
        document = claims.get_claim(claim_edits.edit_claim(claim_id, changes, g.actor, expected_version()))
        return document, etag(document["version"])

    @requires(blp, "editor")
    @blp.arguments(ClaimRemoveArgsSchema, location="query")
    @blp.response(204)
    @blp.alt_response(404, description="No claim has this id.")
    @blp.alt_response(410, description="The claim was removed already.")
    def delete(self, args, claim_id):
        """Remove a claim (spam, a mistake; any newsroom's editor) from lists, search, feeds and groups"""
        claim_edits.remove_claim(claim_id, args["reason"], g.actor, expected_version())


@blp.route("/<id:claim_id>/appearances")
class Appearances(MethodView):
    @requires(blp, "factchecker")
    @blp.arguments(AppearanceCreateSchema)
    @blp.response(201, AppearanceSchema, description="The appearance, added.")
    @blp.alt_response(200, schema=AppearanceSchema, success=True, description=(
        "The claim's appearance in this article, quoting this claimant, which it had already."))
    @blp.alt_response(400, description="The body is not valid JSON.")
    @blp.alt_response(404, description="No claim has this id.")
    def post(self, data, claim_id):
        """Add a source that printed the claim"""
        appearance, added = claims.add_appearance(claim_id, data, g.actor)
        return appearance, 201 if added else 200


@blp.route("/<id:claim_id>/verdicts")
class Verdicts(MethodView):
    @requires(blp, "factchecker")
    @blp.arguments(VerdictCreateSchema)
    @returns(blp, 201, VerdictSchema, headers=ETAG_HEADER)
    @blp.alt_response(400, description="The body is not valid JSON.")
    @blp.alt_response(404, description="No claim has this id.")
    def post(self, data, claim_id):
        """Submit a verdict; its label is kept and normalised to a score and category"""
        verdict = verdicts.submit_verdict(claim_id, data, g.actor)
        document = verdicts.verdict_document(verdict.id)
        return document, 201, etag(document["version"])


@blp.route("/<id:claim_id>/history")
class History(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, HistoryPageSchema, headers=LINK_HEADER)
    @blp.alt_response(404, description="No claim has this id.")
    @optional_token(blp)
    def get(self, args, claim_id):
        """Every change to the claim, its group's other wordings and links, newest first, by name"""
        return page_response(history.claim_history(claim_id, current_actor(), args))
