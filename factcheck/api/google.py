"""Google Fact Check Tools' claims:search, so its clients work by changing the base URL."""
from flask import request, url_for
from flask.views import MethodView

from factcheck.api.blueprint import Blueprint
from factcheck.api.pages import LINK_HEADER
from factcheck.schemas.google import ClaimSearchArgsSchema, ClaimSearchResponseSchema
from factcheck.services.exchange import google_search as claim_search

blp = Blueprint("google", __name__, url_prefix="/api", description="Google Fact Check Tools compatible search")


def _answer(args: dict):
    page = claim_search.search(args)
    headers = {}
    if page.next_cursor:
        query = {**request.args.to_dict(), "pageToken": page.next_cursor}
        headers["Link"] = f'<{url_for(request.endpoint, **query)}>; rel="next"'
    return page, headers


@blp.route("/v1/claims:search")
class ClaimSearch(MethodView):
    @blp.arguments(ClaimSearchArgsSchema, location="query")
    @blp.response(200, ClaimSearchResponseSchema, headers=LINK_HEADER)
    def get(self, args):
        """Search reviewed claims with Google Fact Check Tools' parameters, in its answer's shape"""
        return _answer(args)


@blp.route("/v1alpha1/claims:search")
class GoogleClaimSearch(MethodView):
    @blp.arguments(ClaimSearchArgsSchema, location="query")
    @blp.response(200, ClaimSearchResponseSchema, headers=LINK_HEADER)
    def get(self, args):
        """The same search at Google's own path

        google-api-python-client calls it when built with
        `client_options={"api_endpoint": "http://HOST/api/"}`; `key` and `alt=json` are accepted.
        """
        return _answer(args)
