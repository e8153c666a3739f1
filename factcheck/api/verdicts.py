"""Verdicts by id: read one, revise, publish or withdraw it."""
from flask import g
from flask.views import MethodView

from factcheck.api.auth import ETAG_HEADER, current_actor, etag, expected_version, optional_token, requires
from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import returns
from factcheck.schemas.verdicts import VerdictSchema, VerdictUpdateSchema
from factcheck.services.verdicts import reviews as verdicts

blp = Blueprint("verdicts", __name__, url_prefix="/api/v1/verdicts", description="Verdicts")


@blp.route("/<id:verdict_id>")
class Verdict(MethodView):
    @returns(blp, 200, VerdictSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No verdict has this id (another newsroom's drafts included).")
    @optional_token(blp)
    def get(self, verdict_id):
        """Show a verdict; a draft only to its own organisation"""
        document = verdicts.shown_verdict(verdict_id, current_actor())
        return document, etag(document["version"])

    @requires(blp, "factchecker")
    @blp.arguments(VerdictUpdateSchema)
    @returns(blp, 200, VerdictSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, description="No verdict has this id (another newsroom's drafts included).")
    @blp.alt_response(409, description="The lifecycle does not allow this status change.")
    def patch(self, changes, verdict_id):
        """Revise, publish or withdraw a verdict of your organisation"""
        verdict = verdicts.revise_verdict(verdict_id, changes, g.actor, expected_version())
        document = verdicts.verdict_document(verdict.id)
        return document, etag(document["version"])
