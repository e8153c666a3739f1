"""The flask CLI: tokens, newsroom sites, the demo seed, and the errors every command reports."""
import json

import pytest
from sqlalchemy import event, select

from factcheck import cli, cli_claimreview
from factcheck.errors import Conflict
from factcheck.extensions import db
from factcheck.models import ApiToken, Organisation
from factcheck.services.accounts import organisations, tokens
from factcheck.services.accounts import users as accounts
from factcheck.services.exchange import bulk, export
from factcheck.services.links import calibration as link_calibration
from factcheck.services.links import linker as linking
from factcheck.services.links import reembedding
from factcheck.services.webhooks import delivery as webhook_delivery

CONTESTED = "/api/v1/claims/contested"


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _secret(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_create_token_prints_a_working_secret_once(app, client):
    result = _run(app, "create-token", "--name", "night desk", "--role", "factchecker", "--site", "desk.example.org")
    secret = _secret(result)
    assert secret.startswith("fc_") and len(secret) > 30

    response = client.post("/api/v1/claims", json={"text": "A claim."},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 201

    (token,) = db.session.scalars(select(ApiToken)).all()
    assert token.name == "night desk" and token.role == "factchecker"
    # Only a hash is kept.
    assert secret not in (token.token_hash, token.prefix, token.name)
    assert secret not in json.dumps([str(getattr(token, c.key)) for c in ApiToken.__table__.columns])


def test_each_token_is_different(app):
    first = _secret(_run(app, "create-token", "--name", "a", "--site", "desk.example.org"))
    second = _secret(_run(app, "create-token", "--name", "a"))
    assert first != second


def test_reader_token_from_the_cli_cannot_write(app, client):
    secret = _secret(_run(app, "create-token", "--name", "intern", "--role", "reader", "--site", "desk.example.org"))
    response = client.post("/api/v1/claims", json={"text": "A claim."},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 403


@pytest.mark.parametrize("args", [
    ["--name", "x", "--role", "owner", "--site", "desk.example.org"],
    ["--role", "reader", "--site", "desk.example.org"],
    ["--name", "x", "--site", "not a site"],
])
def test_create_token_rejects_bad_arguments(app, args):
    result = _run(app, "create-token", *args)
    assert result.exit_code != 0
    assert db.session.scalars(select(ApiToken)).all() == []
    assert db.session.scalars(select(Organisation)).all() == []


def test_a_new_newsroom_needs_its_site(app):
    result = _run(app, "create-token", "--name", "Ada", "--organisation", "Full Fact")
    assert result.exit_code != 0
    assert "give its site" in result.output
    assert db.session.scalars(select(Organisation)).all() == []

    _secret(_run(app, "create-token", "--name", "Ada", "--organisation", "Full Fact",
                 "--site", "https://www.FullFact.org/"))
    (organisation,) = db.session.scalars(select(Organisation)).all()
    assert (organisation.name, organisation.site) == ("Full Fact", "fullfact.org")
    # Later tokens of the newsroom need no site, or name the one it has.
    _secret(_run(app, "create-token", "--name", "Bo", "--organisation", "Full Fact"))
    _secret(_run(app, "create-token", "--name", "Cy", "--organisation", "Full Fact", "--site", "FULLFACT.org"))
    result = _run(app, "create-token", "--name", "Di", "--organisation", "Full Fact", "--site", "other.example.org")
    assert result.exit_code != 0 and "set-site" in result.output
    # Another newsroom cannot take its site.
    result = _run(app, "create-token", "--name", "Eve", "--organisation", "Rogue", "--site", "www.fullfact.org")
    assert result.exit_code != 0 and "Full Fact" in result.output
    db.session.expire_all()
    assert [o.name for o in db.session.scalars(select(Organisation))] == ["Full Fact"]
    assert len(db.session.scalars(select(ApiToken)).all()) == 3


def test_set_site_gives_and_changes_a_newsrooms_site(app, client):
    db.session.add(Organisation(name="Old desk"))  # from before sites were required
    db.session.commit()
    result = _run(app, "set-site", "Old desk", "Old-Desk.example.org")
    assert result.exit_code == 0, result.output
    assert "old-desk.example.org" in result.output
    _secret(_run(app, "create-token", "--name", "Ada", "--organisation", "Other", "--site", "other.example.org"))

    assert _run(app, "set-site", "Old desk", "www.other.example.org").exit_code != 0
    assert _run(app, "set-site", "Old desk", "not a site").exit_code != 0
    assert _run(app, "set-site", "Nobody", "nobody.example.org").exit_code != 0
    assert _run(app, "set-site", "Old desk", "new-desk.example.org").exit_code == 0
    assert _run(app, "set-site", "Other", "https://www.Bücher.example/").exit_code == 0
    db.session.expire_all()
    sites = {o.name: o.site for o in db.session.scalars(select(Organisation))}
    assert sites == {"Old desk": "new-desk.example.org", "Other": "xn--bcher-kva.example"}


def test_only_the_cli_grants_the_operator_role(app, client):
    secret = _secret(_run(app, "create-token", "--name", "Op", "--role", "operator", "--organisation", "Instance",
                          "--site", "instance.example.org"))
    operator = {"Authorization": f"Bearer {secret}"}
    response = client.post("/api/v1/organisations", json={"name": "Desk A", "site": "desk-a.example.org"},
                           headers=operator)
    assert response.status_code == 201, response.json


def _all_claims(client) -> list[dict]:
    body = client.get("/api/v1/claims", query_string={"limit": 100}).json
    assert body["next_cursor"] is None
    return body["items"]


def test_seed_tells_the_il20_story(app, client):
    result = _run(app, "seed")
    assert result.exit_code == 0, result.output

    claims = _all_claims(client)
    texts = " ".join(c["text"] for c in claims)
    for needle in ("notified Russia", "shield", "15 crew members", "S-300"):
        assert needle in texts
    assert all(a["url"].startswith("https://breitbart.com/") for c in claims for a in c["appearances"])
    verdicts = [v for c in claims for v in c["verdicts"]]
    assert verdicts
    assert all(v["publisher"]["site"].endswith("example.org") for v in verdicts)

    contested = client.get(CONTESTED).json["items"]
    by_text = {c["text"]: c for c in contested}
    (shield,) = [c for text, c in by_text.items() if "shield" in text]
    assert "sources_disagree" in shield["contested_because"]
    assert {a["claimant"]["name"] for a in shield["appearances"]} == {"Russia", "Israel"}
    (iran,) = [c for text, c in by_text.items() if "Iran" in text]
    assert "verdicts_disagree" in iran["contested_because"]


def test_seed_is_safe_to_run_twice(app, client):
    assert _run(app, "seed").exit_code == 0
    before = _all_claims(client)
    contested_before = client.get(CONTESTED).json

    result = _run(app, "seed")
    assert result.exit_code == 0, result.output
    assert _all_claims(client) == before
    assert client.get(CONTESTED).json == contested_before


def test_seed_adds_only_what_is_missing(app, client, auth):
    client.post("/api/v1/claims", json={"text": "A claim a user recorded."}, headers=auth)
    assert _run(app, "seed").exit_code == 0
    texts = [c["text"] for c in _all_claims(client)]
    assert "A claim a user recorded." in texts
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("claim", [
    {"text": ""},
    {"text": "A verdict must name who published it.", "verdicts": [{"rating": "False"}]},
])
def test_seed_rejects_an_invalid_file(app, client, tmp_path, claim):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"claims": [claim]}), encoding="utf-8")
    result = _run(app, "seed", "--file", str(bad))
    assert result.exit_code != 0
    assert "not a valid seed" in result.output
    assert _all_claims(client) == []


def _seed_story(app) -> dict[str, set[str]]:
    """Each claim of the seed file, by its text, with the urls of its verdicts."""
    document = json.loads(app.config["SEED_FILE"].read_text(encoding="utf-8"))
    return {item["text"]: {v["url"] for v in item["verdicts"]} for item in document["claims"]}


def _stored_story(client) -> dict[str, set[str]]:
    claims = _all_claims(client)
    assert len({c["text"] for c in claims}) == len(claims)
    return {c["text"]: {v["url"] for v in c["verdicts"]} for c in claims}


def test_a_seed_that_fails_mid_claim_keeps_none_of_it_and_a_rerun_completes_the_story(app, client):
    failed = []

    def disk_full_at_the_first_verdict(conn, cursor, statement, *_):
        if not failed and statement.lstrip().upper().startswith("INSERT INTO VERDICTS"):
            failed.append(statement)
            raise OSError("No space left on device")

    event.listen(db.engine, "before_cursor_execute", disk_full_at_the_first_verdict)
    try:
        assert _run(app, "seed").exit_code != 0
    finally:
        event.remove(db.engine, "before_cursor_execute", disk_full_at_the_first_verdict)
    assert failed
    story, stored = _seed_story(app), _stored_story(client)
    # The claims before the failure are there whole; the one that failed is not there at all.
    assert 0 < len(stored) < len(story)
    assert all(stored[text] == story[text] for text in stored)

    result = _run(app, "seed")
    assert result.exit_code == 0, result.output
    assert _stored_story(client) == story


def test_a_rerun_adds_the_verdicts_a_stored_claim_lacks(app, client, auth):
    story = _seed_story(app)
    text = next(text for text, verdicts in story.items() if len(verdicts) > 1)
    assert client.post("/api/v1/claims", json={"text": text}, headers=auth).status_code == 201

    result = _run(app, "seed")
    assert result.exit_code == 0, result.output
    assert "completed 1" in result.output
    assert _stored_story(client) == story


def _claimreview_file(tmp_path) -> str:
    path = tmp_path / "reviews.json"
    path.write_text("[]", encoding="utf-8")
    return str(path)


def _claims_file(tmp_path) -> str:
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps({"text": "A claim to import."}) + "\n", encoding="utf-8")
    return str(path)


# Each command of factcheck's, and a service it calls.
COMMANDS = {
    "create-token": (lambda tmp_path: ["--name", "Ada"], tokens, "create_token"),
    "revoke-token": (lambda tmp_path: ["fc_abc"], accounts, "revoke_token_by_prefix"),
    "set-site": (lambda tmp_path: ["Desk A", "desk-a.example.org"], organisations, "set_site_by_name"),
    "seed": (lambda tmp_path: [], bulk, "import_batch"),
    "import-claims": (lambda tmp_path: [_claims_file(tmp_path)], bulk, "import_batch"),
    "import-claimreview": (lambda tmp_path: [_claimreview_file(tmp_path)], cli_claimreview, "import_reviews"),
    "export-claims": (lambda tmp_path: [str(tmp_path / "out.jsonl")], export, "count_claims"),
    "deliver-webhooks": (lambda tmp_path: ["--once"], webhook_delivery, "deliver_due"),
    "detect-languages": (lambda tmp_path: [], cli, "detect_unknown_languages"),
    "link-pending": (lambda tmp_path: [], linking, "link_pending"),
    "embed-claims": (lambda tmp_path: [], reembedding, "count_without_vectors"),
    "matching-report": (lambda tmp_path: [], link_calibration, "report"),
    "calibrate-matching": (lambda tmp_path: [], link_calibration, "calibrate"),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_domain_error_ends_any_command_with_its_message(app, command, tmp_path, monkeypatch):
    args, module, service = COMMANDS[command]
    detail = "The claim's group kept changing while this write waited for it; retry."

    def refuse(*args, **kwargs):
        raise Conflict(detail)

    monkeypatch.setattr(module, service, refuse)
    result = _run(app, command, *args(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == f"Error: {detail}"
    assert "Traceback" not in result.output


def test_every_command_of_factchecks_is_covered_above(app):
    ours = {name for name, command in app.cli.commands.items()
            if getattr(command.callback, "__module__", "").startswith("factcheck.")}
    assert ours == set(COMMANDS)


def test_revoke_token_by_prefix_stops_the_token(app, client):
    secret = _secret(_run(app, "create-token", "--name", "leaver", "--organisation", "Desk B",
                          "--site", "desk-b.example.org"))
    result = _run(app, "revoke-token", secret[:10])
    assert result.exit_code == 0, result.output
    response = client.post("/api/v1/claims", json={"text": "A claim."},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert _run(app, "revoke-token", "fc_nothing").exit_code != 0
