"""Articles: posted for analysis into candidate claims, which newsrooms accept or reject."""
from flask import g, url_for
from flask.views import MethodView

from factcheck.api.auth import current_actor, optional_token, requires
from factcheck.api.blueprint import Blueprint
from factcheck.schemas.articles import ArticleCreateSchema, ArticleSchema, CandidateSchema, DecideSchema
from factcheck.services.claims import articles
from factcheck.settings import current as settings

LOCATION = {"Location": {"schema": {"type": "string"}, "description": "The article's url."}}
blp = Blueprint("articles", __name__, url_prefix="/api/v1/articles",
                description="Articles analysed into attributed, check-worthy candidate claims")


@blp.route("")
class Articles(MethodView):
    @requires(blp, "factchecker")
    @blp.arguments(ArticleCreateSchema)
    @blp.response(201, ArticleSchema, headers=LOCATION, description="The article, stored and analysed now.")
    @blp.alt_response(200, schema=ArticleSchema, success=True, headers=LOCATION, description=(
        "The article's url was posted before: the article updated (`updated` is true)."))
    @blp.alt_response(400, description="The body is not valid JSON.")
    @blp.alt_response(413, description="The article is longer than the server analyses.")
    def post(self, data):
        """Analyse an article: its candidate claims, who makes them, their check-worthiness and matches"""
        article_id, created = articles.store_article(data, settings(), g.actor)
        document = {**articles.get_article(article_id, g.actor, settings(), ask=True), "updated": not created}
        return document, 201 if created else 200, {"Location": url_for("articles.Article", article_id=article_id)}


@blp.route("/<id:article_id>")
class Article(MethodView):
    @blp.response(200, ArticleSchema)
    @blp.alt_response(404, description="No article has this id.")
    @optional_token(blp)
    def get(self, article_id):
        """Show an article with its candidates, their matches and what your newsroom decided"""
        return articles.get_article(article_id, current_actor(), settings())


@blp.route("/<id:article_id>/candidates/<id:candidate_id>/decision")
class Decision(MethodView):
    @requires(blp, "factchecker")
    @blp.arguments(DecideSchema)
    @blp.response(201, CandidateSchema, description="Decided now (accepting stored the claim's appearance).")
    @blp.alt_response(200, schema=CandidateSchema, success=True, description="Your newsroom had decided so already: nothing changed.")
    @blp.alt_response(400, description="The body is not valid JSON.")
    @blp.alt_response(404, description="The article has no such candidate.")
    @blp.alt_response(409, description="Your newsroom decided otherwise already.")
    def put(self, data, article_id, candidate_id):
        """Accept a candidate (a new claim, or an appearance of `claim_id`) or reject it, for your newsroom"""
        _, decided = articles.decide(article_id, candidate_id, data, g.actor)
        return articles.get_candidate(candidate_id, g.actor, settings()), 201 if decided else 200
