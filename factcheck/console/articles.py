"""Paste an article, see its candidate claims, accept or reject each for your newsroom."""
from flask import flash, redirect, render_template, request, url_for

from factcheck.console import bp
from factcheck.console.auth import actor
from factcheck.console.forms import load_form
from factcheck.errors import Invalid
from factcheck.schemas.articles import ArticleCreateSchema
from factcheck.services.accounts import tokens
from factcheck.services.claims import articles
from factcheck.settings import current as settings

_DECISIONS = {"accept": "accepted", "accept_match": "accepted", "reject": "rejected"}


@bp.route("/articles", methods=["GET", "POST"])
def articles_page():
    if request.method == "GET":
        return render_template("console/articles.html", form={})
    tokens.authorize(actor(), "factchecker", settings())
    form = {k: v for k, v in request.form.items() if k in ("url", "title", "text") and v.strip()}
    if outlet := request.form.get("outlet", "").strip():
        form["outlet"] = {"name": outlet}
    article_id, created = articles.store_article(load_form(ArticleCreateSchema(), form), settings(), actor())
    flash(f"Article {article_id} {'analysed' if created else 'updated and analysed again'}.", "done")
    return redirect(url_for("console.article", article_id=article_id), 303)


@bp.get("/articles/<id:article_id>")
def article(article_id: int):
    document = articles.get_article(article_id, actor(), settings())
    ranked = sorted(document["candidates"], key=lambda c: (-c["checkworthiness"], c["position"]))
    return render_template("console/article.html", article=document, candidates=ranked)


@bp.post("/articles/<id:article_id>/candidates/<id:candidate_id>")
def decide_candidate(article_id: int, candidate_id: int):
    """Accept (as a new claim, or as an appearance of the best match) or reject a candidate."""
    tokens.authorize(actor(), "factchecker", settings())
    choice = request.form.get("decision", "")
    if choice not in _DECISIONS:
        raise Invalid("Choose Accept or Reject on a candidate the page showed.")
    data = {"decision": _DECISIONS[choice]}
    if choice == "accept_match":
        claim_id = request.form.get("claim_id", "")
        if not claim_id.isdigit():
            raise Invalid("Accept into a claim the page showed.")
        data["claim_id"] = int(claim_id)
    decision, _ = articles.decide(article_id, candidate_id, data, actor())
    where = f" as claim {decision.claim_id}" if decision.claim_id else ""
    flash(f"Candidate {candidate_id} {decision.decision}{where}.", "done")
    return redirect(url_for("console.article", article_id=article_id) + f"#candidate-{candidate_id}", 303)
