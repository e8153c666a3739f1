"""Signing in with an API token, the session that follows, and the CSRF token of every form.

The CSRF check is these few lines rather than Flask-WTF: the console's forms are plain
HTML, so WTForms would be carried for one comparison. A random token per session is kept
in the signed session cookie, put in every form, and compared in constant time on every
POST; the cookie is SameSite=Lax besides.
"""
import hmac
import secrets
from urllib.parse import urlsplit

from flask import abort, g, redirect, render_template, request, session, url_for

from factcheck.console import bp
from factcheck.errors import Unauthorized
from factcheck.services import tokens
from factcheck.services.actors import Actor

TOKEN_ID, CSRF = "token_id", "csrf"
CSRF_FIELD = "csrf_token"
# Pages anyone may open: signing in, and the console's own CSS and JavaScript.
OPEN = {"console.sign_in", "console.static"}


def csrf_token() -> str:
    if CSRF not in session:
        session[CSRF] = secrets.token_urlsafe(32)
    return session[CSRF]


@bp.app_context_processor
def _templates():
    return {"csrf_token": csrf_token, "CSRF_FIELD": CSRF_FIELD}


@bp.before_request
def _session():
    """Every request: the token behind the session is checked again (a revoked or expired
    one ends it), and a POST must carry the session's CSRF token."""
    g.actor = None
    if (token_id := session.get(TOKEN_ID)) is not None:
        g.actor = tokens.actor_of_token(token_id)
        if g.actor is None:
            session.clear()
    if request.method == "POST":
        sent, kept = request.form.get(CSRF_FIELD, ""), session.get(CSRF, "")
        if not kept or not hmac.compare_digest(sent.encode(), kept.encode()):
            abort(400, "This form has expired or did not come from this console: reload the page and send it again.")
    if g.actor is None and request.endpoint not in OPEN:
        return redirect(url_for("console.sign_in", next=request.full_path))
    return None


def actor() -> Actor:
    """The signed-in actor (every view but sign-in has one)."""
    return g.actor


def _safe_next(target: str | None) -> str:
    """Only a page of the console itself, never another site's."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith(bp.url_prefix + "/"):
        return url_for("console.inbox")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if request.method == "GET":
        return render_template("console/sign_in.html", next=request.args.get("next", ""))
    secret = request.form.get("token", "").strip()
    try:
        signed_in = tokens.authenticate(f"Bearer {secret}" if secret else None, request.remote_addr or "")
    except Unauthorized:
        return render_template("console/sign_in.html", next=request.form.get("next", ""),
                               error="This token is unknown, revoked or expired."), 401
    # A new session: nothing of the one before survives (no session fixation).
    session.clear()
    session.permanent = True
    session[TOKEN_ID] = signed_in.token_id
    csrf_token()
    return redirect(_safe_next(request.form.get("next")), 303)


@bp.post("/sign-out")
def sign_out():
    session.clear()
    return redirect(url_for("console.sign_in"), 303)
