"""Property-based fuzzing of every operation from the app's own OpenAPI spec (schemathesis)."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlalchemy import update

from factcheck.extensions import db
from factcheck.models import ApiToken
from factcheck.services import tokens
from tests.conftest import bearer, make_app
from tests.fuzz.tally import CASES

EXAMPLES = 25  # per operation and database, fuzzing phase
SEED = 20180917  # the IL-20 was shot down that night; any fixed seed keeps CI repeatable
# The spec is the same on every database; the admin token is made to have this secret.
ADMIN_SECRET = "fc_fuzzing-admin-token-not-a-real-secret"
SETTINGS = {"RATE_LIMIT_PER_MINUTE": 10**9, "AUTH_FAILURES_PER_MINUTE": 10**9}


def _spec() -> dict:
    app = make_app("sqlite://", **SETTINGS)
    return app.test_client().get("/api/v1/openapi.json").json


schema = schemathesis.openapi.from_dict(_spec(), config=SchemathesisConfig.from_dict({
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True},
    "checks": {"enabled": True},
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
        post(f"/claims/{claim['id']}/verdicts", {"rating": "Mostly True", "url": f"https://fact.example.org/{n}",
             "publisher": {"name": "Fact Desk", "site": "fact.example.org"}}, "verdict_id")
        post(f"/claims/{claim['id']}/verdicts", {"rating": "False", "status": "draft",
             "publisher": {"name": "Desk", "site": "desk.example.org"}}, "verdict_id")
    for claim_id in ids["claim_id"]:
        links = client.get(f"/api/v1/claims/{claim_id}/links").json["items"]
        ids.setdefault("link_id", []).extend(link["id"] for link in links)
    organisation = post("/organisations", {"name": "Desk Z", "site": "desk-z.example.org"}, "organisation_id")
    user = post(f"/organisations/{organisation['id']}/users", {"name": "Zed", "role": "editor"}, "user_id")
    post(f"/users/{user['id']}/tokens", {"name": "fuzzed"}, "token_id")
    post("/webhooks", {"url": "https://hooks.example.org/in", "claim_ids": ids["claim_id"][:1]}, "webhook_id")
    return ids


@pytest.fixture(scope="module")
def fuzzed_app(database_url):
    fuzzed = make_app(database_url, **SETTINGS)
    yield fuzzed
    with fuzzed.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def known_ids(app, fuzzed_app) -> dict[str, list[int]]:
    """Seed objects, then give the fuzzer's admin token its fixed secret."""
    known = _seed(fuzzed_app.test_client(), bearer("admin", name="seeder"))
    token, _ = tokens.create_token("fuzzer", "admin")
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(
        token_hash=tokens._digest(ADMIN_SECRET), prefix=ADMIN_SECRET[:10]))
    db.session.commit()
    return known


@schema.parametrize()
# The seeded objects are meant to outlive one input: cases read and change them in turn.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api(case, database_url, fuzzed_app, known_ids):
    database = database_url.split(":", 1)[0].split("+")[0]
    CASES[(database, case.operation.label, case.meta.phase.name.value, case.meta.generation.mode.value)] += 1
    case.call_and_validate(app=fuzzed_app)
