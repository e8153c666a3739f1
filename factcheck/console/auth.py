"""Signing in with an API token, the server-kept session that follows, and every form's CSRF token."""
import hashlib
import hmac
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, render_template, request, session, url_for

from factcheck.console import bp
from factcheck.errors import Unauthorized
from factcheck.services.accounts import console_sessions, tokens
from factcheck.services.accounts.actors import Actor
from factcheck.settings import current as settings

KEY = "key"
CSRF_FIELD = "csrf_token"
# Pages anyone may open: signing in, and the console's own CSS and JavaScript.
OPEN = {"console.sign_in", "console.static"}


def csrf_token() -> str:
    if KEY not in session:
        session.permanent = True
        session[KEY] = console_sessions.new_key()
    # Prefixed: nothing else signed with the secret (the cookie, by Flask) begins so.
    message = b"console csrf:" + session[KEY].encode()
    return hmac.new(current_app.secret_key.encode(), message, hashlib.sha256).hexdigest()


@bp.app_context_processor
def _templates():
    return {"csrf_token": csrf_token, "CSRF_FIELD": CSRF_FIELD}


@bp.before_request
def _session():
    """Every request: the session and its token are checked again (an ended session, or a
    revoked or expired token, signs the browser out), and a POST must carry the CSRF token."""
    g.actor = None
    if (key := session.get(KEY)) is not None:
        g.actor = console_sessions.actor_of_session(key)
    if request.method == "POST":
        sent = request.form.get(CSRF_FIELD, "")
        if key is None or not hmac.compare_digest(sent.encode(), csrf_token().encode()):
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
        header = f"Bearer {secret}" if secret else None
        signed_in = tokens.authenticate(header, request.remote_addr or "", settings())
    except Unauthorized:
        return render_template("console/sign_in.html", next=request.form.get("next", ""),
                               error="This token is unknown, revoked or expired."), 401
    # A new key: nothing of the one before survives (no session fixation), and the session
    # it named, if any, ends.
    key = console_sessions.open_session(signed_in.token_id, current_app.permanent_session_lifetime,
                                      session.get(KEY))
    session.clear()
    session.permanent = True
    session[KEY] = key
    return redirect(_safe_next(request.form.get("next")), 303)


@bp.post("/sign-out")
def sign_out():
    console_sessions.end_session(session[KEY])
    session.clear()
    return redirect(url_for("console.sign_in"), 303)
