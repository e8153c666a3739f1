"""Who makes claims and who prints them: claimant and outlet directories."""
from flask.views import MethodView

from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import LINK_HEADER, page_response
from factcheck.schemas.directories import ClaimantPageSchema, DirectoryArgsSchema, OutletPageSchema
from factcheck.services.claims import directories

blp = Blueprint("directories", __name__, url_prefix="/api/v1", description="Claimants and outlets")


@blp.route("/claimants")
class Claimants(MethodView):
    @blp.arguments(DirectoryArgsSchema, location="query")
    @blp.response(200, ClaimantPageSchema, headers=LINK_HEADER)
    def get(self, args):
        """List claimants by name, with how many claims are theirs"""
        return page_response(directories.claimants(args))


@blp.route("/outlets")
class Outlets(MethodView):
    @blp.arguments(DirectoryArgsSchema, location="query")
    @blp.response(200, OutletPageSchema, headers=LINK_HEADER)
    def get(self, args):
        """List outlets by domain, with how many claims they printed"""
        return page_response(directories.outlets(args))
