"""Property-based fuzzing of every operation from the app's own OpenAPI spec (schemathesis)."""
import base64
import copy
import itertools
import json
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import update

from factcheck.extensions import db
from factcheck.models import ApiToken
from factcheck.services.accounts import tokens
from tests.conftest import bearer, make_app
from tests.fuzz.tally import CASES

EXAMPLES = 10  # per operation and database, fuzzing phase
SEED = 20180917  # the IL-20 was shot down that night; any fixed seed keeps CI repeatable
# The spec is the same on every database; the fuzzer's token, an operator's (every operation
# is open to it), is made to have this secret.
ADMIN_SECRET = "fc_fuzzing-admin-token-not-a-real-secret"
# Private receivers allowed: webhook urls are then not resolved at registration, so the fuzzer's
# made-up host names never reach DNS.
SETTINGS = {"RATE_LIMIT_PER_MINUTE": 10**9, "AUTH_FAILURES_PER_MINUTE": 10**9, "WEBHOOKS_ALLOW_PRIVATE": True}


class CurrentApp:
    """The WSGI app under test: each database's in turn (the spec is the same on every one)."""

    app = make_app("sqlite://", **SETTINGS)

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


TARGET = CurrentApp()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", TARGET, config=SchemathesisConfig.from_dict({
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True},
    "checks": {
        "enabled": True,
        # A missing If-Match is 428 Precondition Required (RFC 6585), as the spec documents,
        # rather than the generic 400/422 this check expects by default.
        "missing_required_header": {"expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]},
        # An If-Match that names no version cannot match one: 412, as documented and tested
        # (tests/api/test_accounts.py), not the 400/422 this check expects by default.
        # A claim an editor removed answers 410 Gone to every later change, as documented: the
        # fuzzer removes the seeded claims in the course of its valid cases.
        "positive_data_acceptance": {"expected-statuses": [
            "2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx"]},
        "negative_data_rejection": {"expected-statuses": [
            "400", "401", "403", "404", "405", "406", "409", "412", "415", "422", "428", "429", "5xx"]},
    },
    "auth": {"openapi": {"bearerAuth": {"bearer": ADMIN_SECRET}}},
}))


def _seed(client, headers) -> dict[str, list[int]]:
    """A few real objects of each kind, so path parameters sometimes name one."""
    ids: dict[str, list[int]] = {}

    def post(path, body, kind):
        response = client.post(f"/api/v1{path}", json=body, headers=headers)
        assert response.status_code == 201, (path, response.json)
        ids.setdefault(kind, []).append(response.json["id"])
        return response.json

    texts = ["Israel notified Russia in advance of its airstrike on Latakia.",
             "Israel informed Russia of the Latakia airstrike in advance.",
             "An Israeli pilot used the Russian reconnaissance plane as a shield."]
    for n, text in enumerate(texts):
        claim = post("/claims", {"text": text, "claimant": {"name": "Israel"}, "appearances": [
            {"url": f"https://example.com/news/{n}", "stance": "asserts" if n % 2 else "denies"}]}, "claim_id")
        # Signed by the seeder's newsroom, the only publisher it may write for.
        post(f"/claims/{claim['id']}/verdicts", {"rating": "Mostly True", "url": f"https://fact.example.org/{n}"},
             "verdict_id")
        post(f"/claims/{claim['id']}/verdicts", {"rating": "False", "status": "draft"}, "verdict_id")
    for claim_id in ids["claim_id"]:
        links = client.get(f"/api/v1/claims/{claim_id}/links").json["items"]
        ids.setdefault("link_id", []).extend(link["id"] for link in links)
    organisation = post("/organisations", {"name": "Desk Z", "site": "desk-z.example.org"}, "organisation_id")
    user = post(f"/organisations/{organisation['id']}/users", {"name": "Zed", "role": "editor"}, "user_id")
    post(f"/users/{user['id']}/tokens", {"name": "fuzzed"}, "token_id")
    post("/webhooks", {"url": "https://127.0.0.1/in", "claim_ids": ids["claim_id"][:1]}, "webhook_id")
    article = post("/articles", {"url": "https://example.com/news/story", "text": "\n".join(texts)}, "article_id")
    ids["candidate_id"] = [c["id"] for c in article["candidates"]]
    return ids


@pytest.fixture(scope="module")
def fuzzed_app(database_url):
    fuzzed = TARGET.app = make_app(database_url, **SETTINGS)
    yield fuzzed
    with fuzzed.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def known_ids(app, fuzzed_app) -> dict[str, list[int]]:
    """Seed objects, then give the fuzzer's operator token its fixed secret. The seeder's
    newsroom (the default one, given its site by bearer()) signs the seeded verdicts."""
    known = _seed(fuzzed_app.test_client(), bearer("operator", name="seeder"))
    token, _ = tokens.create_token("fuzzer", "operator")
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(
        token_hash=tokens._digest(ADMIN_SECRET), prefix=ADMIN_SECRET[:10]))
    known["fuzzer_token_id"] = [token.id]
    db.session.commit()
    return known


_KEYS = itertools.count()
SCALE = {"worst_rating": 0.0, "best_rating": 1.0}


def _positive_at(case, location: ParameterLocation) -> bool:
    component = case.meta.components.get(location)
    return component is not None and not component.mode.is_negative


def _known(known: list[int], value: int) -> int:
    return known[value % len(known)]


def _as_a_client_would(case, known: dict[str, list[int]]) -> None:
    """Adjust valid cases where the spec cannot say what a valid value is: ids of objects
    that exist, cursors the server gave out, the ETag an object has now, an Idempotency-Key
    per distinct request."""
    if _positive_at(case, ParameterLocation.PATH):
        for name, value in (case.path_parameters or {}).items():
            # Some of the time, by the generated value, name an object that exists.
            if name in known and isinstance(value, int) and value % 3 == 0:
                case.path_parameters[name] = _known(known[name], value)
        if case.method == "DELETE" and case.path_parameters.get("token_id") in known["fuzzer_token_id"]:
            # Revoking the fuzzer's own token would turn the rest of this run into 401s.
            case.path_parameters["token_id"] = known["token_id"][0]
    if _positive_at(case, ParameterLocation.QUERY):
        # Cursors are opaque: a made-up one is refused (422), whatever its shape.
        for name in ("cursor", "pageToken"):
            (case.query or {}).pop(name, None)
        if case.path.endswith("claims:search") and not {"query", "reviewPublisherSiteFilter"} & set(case.query):
            # Google's rule, which OpenAPI cannot state across two parameters (their
            # descriptions do): a search needs a query unless it filters by publisher site.
            case.query["query"] = "Latakia"
    if _positive_at(case, ParameterLocation.BODY) and isinstance(case.body, dict) \
            and isinstance(case.body.get("claim_ids"), list):
        # A webhook follows claims that exist; unknown ids are refused (422) by design.
        case.body["claim_ids"] = sorted({_known(known["claim_id"], abs(n)) for n in case.body["claim_ids"]
                                         if isinstance(n, int)})
    if _positive_at(case, ParameterLocation.BODY) and isinstance(case.body, dict) \
            and case.operation.path == "/api/v1/articles":
        # An article has words to analyse: text without a letter, or html without an article's
        # text, is refused (422) by design, which no pattern can state of html (the fields'
        # descriptions do).
        case.body.pop("html", None)
        case.body["text"] = "Officials said 15 crew members were killed when the plane was shot down."
    if _positive_at(case, ParameterLocation.BODY) and isinstance(case.body, dict) \
            and isinstance(case.body.get("claim_id"), int):
        # A candidate is accepted into a claim that exists; an unknown one is refused (422) by design.
        case.body["claim_id"] = _known(known["claim_id"], abs(case.body["claim_id"]))
    if _positive_at(case, ParameterLocation.BODY) and isinstance(case.body, dict) and "review_date" in case.body:
        # A review is dated in the past; a future date is refused (422) by design, which the
        # date-time format cannot state (the field's description does).
        case.body["review_date"] = "2018-09-28T10:00:00Z"
    if _positive_at(case, ParameterLocation.BODY) and isinstance(case.body, dict) \
            and {"rating_value", *SCALE} & case.body.keys():
        # A scale's best rating is above its worst and its value between them, as the fields'
        # descriptions say (JSON Schema cannot compare two fields): every valid case rates on
        # one scale, 0 to 1, so that a change agrees with the numbers stored before it too.
        case.body.update({name: bound for name, bound in SCALE.items() if name in case.body})
        if isinstance(case.body.get("rating_value"), (int, float)):
            case.body["rating_value"] = min(max(case.body["rating_value"], 0.0), 1.0)
    headers = case.headers or {}
    if _positive_at(case, ParameterLocation.HEADER) and "Idempotency-Key" in headers:
        # A key names one request: reusing it for another body is refused (422) by design.
        headers["Idempotency-Key"] = f"{headers['Idempotency-Key'][:240]}-{next(_KEYS)}"
    if _positive_at(case, ParameterLocation.HEADER) and "If-Match" in headers:
        # A change names the version it read; a stale one is refused (412) by design.
        read = TARGET.app.test_client().get(
            case.formatted_path, headers={"Authorization": f"Bearer {ADMIN_SECRET}"})
        headers["If-Match"] = read.headers.get("ETag", '"1"')


def _cursor(*key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def _with_surrogate(body):
    """The body with a lone surrogate at the end of its first string, or None if it has none."""
    stack = [(None, None, body)]
    while stack:
        parent, key, value = stack.pop()
        if isinstance(value, str) and parent is not None:
            parent[key] = value + "\ud800"
            return body
        if isinstance(value, dict):
            stack.extend((value, k, v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((value, i, v) for i, v in enumerate(value))
    return None


# Past any integer key column (PostgreSQL's are 32-bit), and past 64 bits.
TOO_BIG = (2**31, 2**63)
# Each list's cursor shape with an id too big; a feed cursor with a naive time, and with one
# before year 1 in UTC; a directory's (text) cursor with a NUL, and with a lone surrogate.
HOSTILE_CURSORS = [_cursor(n) for n in TOO_BIG] + [_cursor(0.5, n) for n in TOO_BIG] + [
    _cursor("2026-01-01T00:00:00+00:00", TOO_BIG[0]), _cursor("2026-01-01T00:00:00", 1),
    _cursor("0001-01-01T00:00:00+14:00", 1), _cursor("reuters\x00"), _cursor("\ud800")]
HOSTILE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
                  response_headers_conformance, response_schema_conformance]


def _hostile(case) -> Iterator[tuple[str, dict, set[int]]]:
    """What a careless or hostile client sends instead of this valid request, as test-client
    arguments, with the statuses it may get: a lone surrogate, nesting 100,000 deep or a byte
    that is not UTF-8 in the body, the body as another media type or as none, ids past any
    integer column, cursors naming such ids or text no database compares with (404 first when
    the path names nothing)."""
    base = {"method": case.method, "path": case.formatted_path, "query_string": case.query or {}}
    if isinstance(case.body, (dict, list)):
        sent = json.dumps(case.body)
        if (broken := _with_surrogate(copy.deepcopy(case.body))) is not None:
            yield "lone surrogate", {**base, "data": json.dumps(broken), "content_type": "application/json"}, {422}
        yield "deep nesting", {**base, "data": "[" * 100_000 + "]" * 100_000, "content_type": "application/json"}, {400}
        yield "not UTF-8", {**base, "data": b"\xff" + sent.encode(), "content_type": "application/json"}, {400}
        yield "text/plain", {**base, "data": sent, "content_type": "text/plain"}, {415}
        yield "no Content-Type", {**base, "data": sent}, {415}
    for name, value in (case.path_parameters or {}).items():
        if isinstance(value, int):
            for n in TOO_BIG:
                path = case.operation.path.format(**{**case.path_parameters, name: n})
                yield f"{name}={n}", {**base, "path": path}, {404}
    names = {parameter.name for parameter in case.operation.query}
    unknown_path = {404} if case.path_parameters else set()
    for name in {"cursor", "pageToken"} & names:
        for cursor in HOSTILE_CURSORS:
            yield f"{name} {cursor}", {**base, "query_string": {**base["query_string"], name: cursor}}, {422, *unknown_path}


def _attack(case, database: str) -> None:
    """Each hostile variant of a valid request gets its documented 4xx problem, never a 500."""
    # The key names the valid request; the Content-Type is each variant's own.
    headers = {name: value for name, value in (case.headers or {}).items()
               if name.lower() not in ("content-type", "idempotency-key")}
    headers["Authorization"] = f"Bearer {ADMIN_SECRET}"
    client = TARGET.app.test_client()
    for what, request, statuses in _hostile(case):
        CASES[(database, case.operation.label, "hostile", "negative")] += 1
        response = client.open(headers=headers, **request)
        case.validate_response(response, checks=HOSTILE_CHECKS)
        assert response.status_code in statuses, (what, response.status_code, response.get_data(as_text=True))


@schema.parametrize()
# The seeded objects are meant to outlive one input: cases read and change them in turn.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api(case, database_url, fuzzed_app, known_ids):
    database = database_url.split(":", 1)[0].split("+")[0]
    CASES[(database, case.operation.label, case.meta.phase.name.value, case.meta.generation.mode.value)] += 1
    _as_a_client_would(case, known_ids)
    case.call_and_validate()
    # Valid cases (not those the coverage phase sends with another method) are attacked too.
    valid = not any(component.mode.is_negative for component in case.meta.components.values())
    if valid and case.method.upper() == case.operation.method.upper():
        _attack(case, database)
