"""A claim's page: its wordings, appearances, verdicts with their lifecycle and links; the verdict form."""
import marshmallow as ma
from flask import flash, jsonify, redirect, render_template, request, url_for

from factcheck.console import bp
from factcheck.console.auth import actor
from factcheck.console.forms import load_form
from factcheck.errors import Invalid
from factcheck.ratings import RATING_TABLE
from factcheck.schemas.verdicts import VerdictCreateSchema
from factcheck.services.accounts import tokens
from factcheck.services.claims import history
from factcheck.services.claims import pages as claim_pages
from factcheck.services.claims import records as claims
from factcheck.services.links import decisions as links
from factcheck.services.verdicts import reviews as verdicts
from factcheck.settings import current as settings

# The labels the form suggests: those every publisher may use, as printed.
LABELS = sorted({row.label for row in RATING_TABLE if row.scale == "generic"})
VERDICT_FIELDS = ("rating", "url", "explanation")
SHOWN = {"limit": 20}


def _publisher_site(form: dict) -> str | None:
    if form.get("publisher_site"):
        return form["publisher_site"]
    newsroom = claim_pages.newsroom_of(actor())
    return newsroom.site if newsroom else None


def _verdict_input(form) -> dict:
    """The form as the API's body: empty fields left out, the publisher only when named."""
    data = {field: form[field].strip() for field in VERDICT_FIELDS if form.get(field, "").strip()}
    data["status"] = "published" if form.get("status") == "published" else "draft"
    if form.get("publisher_name", "").strip() or form.get("publisher_site", "").strip():
        data["publisher"] = {"name": form.get("publisher_name", "").strip(),
                             "site": form.get("publisher_site", "").strip()}
    return data


def preview(rating: str, site: str | None) -> dict | None:
    """The score and category the label would be stored with, as ratings.py normalises it."""
    if not rating.strip():
        return None
    return verdicts.normalised({"rating": rating.strip()}, site or "")


@bp.get("/claims/<id:claim_id>")
def claim(claim_id: int, form: dict | None = None, errors: dict | None = None, status: int = 200):
    document = claims.get_claim(claim_id)
    me = actor()
    form = form or {}
    page = {
        "claim": document, "wordings": claim_pages.group_wordings(document),
        "verdicts": claim_pages.group_verdicts(document["group_id"], me),
        "links": links.links_of(claim_id, SHOWN).items,
        "history": history.claim_history(claim_id, me, SHOWN).items,
        "newsroom": claim_pages.newsroom_of(me), "labels": LABELS, "form": form, "errors": errors or {},
        "preview": preview(form.get("rating", ""), _publisher_site(form)),
    }
    return render_template("console/claim.html", **page), status


@bp.post("/claims/<id:claim_id>/verdicts")
def submit_verdict(claim_id: int):
    """Preview the label's score, or submit the verdict as a draft or published."""
    form = request.form.to_dict()
    if "preview" in form:
        return claim(claim_id, form=form)
    tokens.authorize(actor(), "factchecker", settings())
    try:
        data = VerdictCreateSchema().load(_verdict_input(form))
    except ma.ValidationError as error:
        return claim(claim_id, form=form, errors=error.messages, status=422)
    try:
        verdict = verdicts.submit_verdict(claim_id, data, actor())
    except Invalid as error:
        return claim(claim_id, form=form, errors=error.errors or {"_schema": [error.detail]}, status=422)
    flash(f"Verdict “{verdict.rating}” saved as {verdict.status}.", "done")
    return redirect(url_for("console.claim", claim_id=claim_id, _anchor="verdicts"), 303)


@bp.post("/verdicts/<id:verdict_id>")
def change_verdict(verdict_id: int):
    """Publish or withdraw one of the newsroom's verdicts, at the version the page showed."""
    tokens.authorize(actor(), "factchecker", settings())
    changes = load_form(_LifecycleSchema(), request.form.to_dict())
    version = changes.pop("version")
    verdict = verdicts.revise_verdict(verdict_id, changes, actor(), version)
    flash(f"Verdict “{verdict.rating}” is now {verdict.status}.", "done")
    return redirect(url_for("console.claim", claim_id=verdict.claim_id, _anchor="verdicts"), 303)


class _LifecycleSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # the CSRF token

    status = ma.fields.String(required=True, validate=ma.validate.OneOf(("published", "withdrawn")))
    reason = ma.fields.String(validate=ma.validate.Length(min=1, max=2_000))  # required to withdraw: the service says
    version = ma.fields.Integer(required=True)


@bp.get("/rating-preview")
def rating_preview():
    """The normalised score of a label, for the verdict form's live preview."""
    return jsonify(preview(request.args.get("rating", "")[:200], _publisher_site(request.args)) or {})
