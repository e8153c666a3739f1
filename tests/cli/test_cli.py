"""The flask CLI: create-token and seed."""
import json

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import ApiToken

CONTESTED = "/api/v1/claims/contested"


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _secret(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_create_token_prints_a_working_secret_once(app, client):
    result = _run(app, "create-token", "--name", "night desk", "--role", "factchecker")
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
    first = _secret(_run(app, "create-token", "--name", "a"))
    second = _secret(_run(app, "create-token", "--name", "a"))
    assert first != second


def test_reader_token_from_the_cli_cannot_write(app, client):
    secret = _secret(_run(app, "create-token", "--name", "intern", "--role", "reader"))
    response = client.post("/api/v1/claims", json={"text": "A claim."},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 403


@pytest.mark.parametrize("args", [["--name", "x", "--role", "owner"], ["--role", "reader"]])
def test_create_token_rejects_bad_arguments(app, args):
    result = _run(app, "create-token", *args)
    assert result.exit_code != 0
    assert db.session.scalars(select(ApiToken)).all() == []


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


def test_seed_rejects_an_invalid_file(app, client, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"claims": [{"text": ""}]}), encoding="utf-8")
    result = _run(app, "seed", "--file", str(bad))
    assert result.exit_code != 0
    assert "not a valid seed" in result.output
    assert _all_claims(client) == []


def test_revoke_token_by_prefix_stops_the_token(app, client):
    secret = _secret(_run(app, "create-token", "--name", "leaver", "--organisation", "Desk B"))
    result = _run(app, "revoke-token", secret[:10])
    assert result.exit_code == 0, result.output
    response = client.post("/api/v1/claims", json={"text": "A claim."},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert _run(app, "revoke-token", "fc_nothing").exit_code != 0
