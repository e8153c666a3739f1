"""The inbox of suggested links, the contested board and "has this been checked?"."""
from flask import flash, redirect, render_template, request, url_for

from factcheck.console import bp
from factcheck.console.auth import actor
from factcheck.console.diff import marked
from factcheck.console.forms import load_form
from factcheck.errors import Invalid
from factcheck.schemas.common import PageArgsSchema
from factcheck.schemas.links import MatchQuerySchema
from factcheck.schemas.review import QueueArgsSchema
from factcheck.services.accounts import tokens
from factcheck.services.claims import records as claims
from factcheck.services.links import decisions as links
from factcheck.services.links import review_queue
from factcheck.services.links.review_queue import Decision
from factcheck.settings import current as settings

INBOX_PAGE = 20
WAITING_AT_MOST = 1000


@bp.get("/")
def inbox():
    args = load_form(QueueArgsSchema(), {"limit": INBOX_PAGE, **request.args.to_dict()})
    page = review_queue.list_links({**args, "status": "suggested", "order": "score"})
    for item in page.items:
        item["words"] = marked(item["claim"]["text"], item["other"]["text"])
    return render_template("console/inbox.html", page=page, waiting=review_queue.count("suggested", WAITING_AT_MOST),
                           at_most=WAITING_AT_MOST)


@bp.post("/links/<id:link_id>")
def decide(link_id: int):
    """Confirm or reject one link at the version the page showed."""
    tokens.authorize(actor(), "factchecker", settings())
    status = {"confirm": "confirmed", "reject": "rejected"}.get(request.form.get("decision", ""))
    version = request.form.get("version", "")
    if status is None or not version.isdigit():
        raise Invalid("Choose Confirm or Reject on a link the inbox showed.")
    (answer,) = review_queue.decide_many([Decision(link_id, status, int(version))], actor())
    messages = {"decided": f"Link {link_id} {status}.",
                "stale": f"Link {link_id} changed since you read it: look at it again.",
                "not_found": f"Link {link_id} no longer exists.",
                "conflict": f"Link {link_id}: its group kept changing; try again."}
    flash(messages[answer["outcome"]], "done" if answer["outcome"] == "decided" else "problem")
    return redirect(url_for("console.inbox"), 303)


@bp.get("/contested")
def contested():
    args = load_form(PageArgsSchema(), request.args.to_dict())
    return render_template("console/contested.html", page=claims.list_contested(args))


@bp.route("/check", methods=["GET", "POST"])
def check():
    found = None
    text = request.form.get("text", "")
    if request.method == "POST":
        query = load_form(MatchQuerySchema(), {"text": text, "limit": 10})
        found = links.match(query["text"], query["limit"])
    return render_template("console/check.html", text=text, found=found)
