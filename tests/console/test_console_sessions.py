"""Console sessions kept by the server: signing out, a second sign-in, a revoked or expired
token and the session's own expiry end them, whoever holds a copy of the cookie."""
from datetime import timedelta

from sqlalchemy import update

from factcheck.extensions import db
from factcheck.models import ApiToken, ConsoleSession
from factcheck.models.types import utcnow
from tests.api.helpers import BASE_CLAIM, LINKS, REWORDED, create_claim, if_match
from tests.api.newsrooms import TOKENS, post_verdict
from tests.console.test_console_app import CONSOLE, signed_in

COOKIE = "factcheck_console"
SIGN_IN = "/console/sign-in?next="


def copy_of(client, app):
    """Another browser holding a copy of the client's cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return other


def signed_out(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith(SIGN_IN)


def suggested_link(client, auth) -> dict:
    create_claim(client, auth, BASE_CLAIM)
    create_claim(client, auth, REWORDED)
    return client.get(LINKS).json["items"][0]


def test_a_cookie_copied_before_signing_out_is_refused_after_it(app, client, auth):
    link = suggested_link(client, auth)
    csrf = signed_in(client, auth)
    copy = copy_of(client, app)
    assert copy.get(CONSOLE).status_code == 200  # the copy works while the session lasts

    assert client.post("/console/sign-out", data={"csrf_token": csrf}).status_code == 303
    assert signed_out(client.get(CONSOLE))
    assert signed_out(copy.get(CONSOLE))
    # The copy's form, with the CSRF token it was given, changes nothing either.
    response = copy.post(f"/console/links/{link['id']}",
                         data={"decision": "confirm", "version": link["version"], "csrf_token": csrf})
    assert signed_out(response)
    assert client.get(LINKS).json["items"][0]["status"] == "suggested"
    assert db.session.scalars(db.select(ConsoleSession.ended_at)).one() is not None


def test_one_newsrooms_session_never_acts_as_anothers(app, client, newsrooms):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker)
    draft = post_verdict(client, b.factchecker, claim["id"], "Pants on Fire", status="draft")
    page = f"/console/claims/{claim['id']}"
    signed_in(client, a.factchecker)
    as_a = copy_of(client, app)
    desk_b = app.test_client()
    csrf_b = signed_in(desk_b, b.factchecker)
    assert "Pants on Fire" not in as_a.get(page).get_data(as_text=True)
    assert "Pants on Fire" in desk_b.get(page).get_data(as_text=True)
    # A's session cannot publish B's draft, and B's CSRF token is not A's session's.
    form = {"status": "published", "version": draft["version"]}
    assert as_a.post(f"/console/verdicts/{draft['id']}", data={**form, "csrf_token": csrf_b}).status_code == 400

    # Signing in as B in A's browser ends A's session there and in every copy of its cookie.
    signed_in(client, b.factchecker)
    assert "Pants on Fire" in client.get(page).get_data(as_text=True)
    assert signed_out(as_a.get(page))
    assert "Pants on Fire" in desk_b.get(page).get_data(as_text=True)  # B's other session goes on
    assert client.get(f"/api/v1/verdicts/{draft['id']}", headers=b.factchecker).json["status"] == "draft"


def test_a_revoked_or_expired_token_ends_its_sessions(app, client, newsrooms):
    a, _ = newsrooms
    signed_in(client, a.factchecker)
    reader = app.test_client()
    signed_in(reader, a.reader)
    tokens = client.get(TOKENS, headers=a.admin).json["items"]
    factchecker = next(t for t in tokens if t["name"] == f"{a.name} factchecker")
    url = f"{TOKENS}/{factchecker['id']}"
    assert client.delete(url, headers=if_match(client, url, a.admin)).status_code == 200
    assert signed_out(client.get(CONSOLE))
    assert reader.get(CONSOLE).status_code == 200

    db.session.execute(update(ApiToken).where(ApiToken.name == f"{a.name} reader")
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert signed_out(reader.get(CONSOLE))


def test_a_session_ends_its_lifetime_after_signing_in(app, client, auth):
    signed_in(client, auth)
    (expires_at, created_at), = db.session.execute(db.select(ConsoleSession.expires_at, ConsoleSession.created_at))
    assert expires_at - created_at == app.permanent_session_lifetime
    db.session.execute(update(ConsoleSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert signed_out(client.get(CONSOLE))


def test_each_session_has_its_own_csrf_token(app, client, auth):
    link = suggested_link(client, auth)
    first = signed_in(client, auth)
    second = signed_in(client, auth)  # signing in again: a new session
    assert first != second
    # The cookie holds the session's key (signed by Flask) and nothing else: not the token,
    # nor the CSRF token, nor anything a person could edit into another session.
    cookie = app.session_interface.get_signing_serializer(app).loads(client.get_cookie(COOKIE).value)
    assert set(cookie) == {"_permanent", "key"}
    assert cookie["key"] not in (auth["Authorization"].split()[1], second)
    url = f"/console/links/{link['id']}"
    form = {"decision": "confirm", "version": link["version"]}
    for refused in ({}, {"csrf_token": first}):
        assert client.post(url, data={**form, **refused}).status_code == 400
    assert client.post(url, data={**form, "csrf_token": second}).status_code == 303
