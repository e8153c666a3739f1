"""Bulk import and export on the CLI: JSON lines, CSV and LIAR TSV, round trips into an empty database."""
import io
import json

import flask_migrate
import pytest

from factcheck.services.exchange import formats
from tests.api.helpers import add_verdict, create_claim
from tests.db.conftest import empty_app  # noqa: F401  (a fresh database per test, both engines)

NEAR = "The governor quietly signed a law that cuts funding for every public school across the state."
NEAR_COPY = "The governor quietly signed a law that cut funding for every public school across the state."

LIAR_ROWS = (
    "2635.json\tfalse\tSays the Annies List political group supports third-trimester abortions on demand."
    "\tabortion\tdwayne-bohac\tState representative\tTexas\trepublican\t0\t1\t0\t0\t0\ta mailer\n"
    "324.json\tmostly-true\tHillary Clinton agrees with John McCain \"by voting to give George Bush the benefit"
    " of the doubt on Iran.\"\tforeign-policy\tbarack-obama\tPresident\tIllinois\tdemocrat\t70\t71\t160\t163\t9"
    "\tDenver\n"
    "9.json\thalf-true\ttoo few columns\n"
    "1.json\tpants-fire\tSays the moon landing was staged in a Nevada desert.\tspace\t\t\t\t\t0\t0\t0\t0\t0\t\n"
)


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def build_story(client, auth) -> None:
    """Claims with everything a file must carry: claimants, sources, verdicts, links, a dispute."""
    first = create_claim(client, auth, NEAR, claimant={"name": "Jane Doe"}, language="en", appearances=[
        {"url": "https://www.example.com/news/1", "outlet": {"name": "Example News"}, "title": "Schools",
         "quote": "cuts funding, for \"every\" school", "stance": "asserts", "claimant": {"name": "Jane Doe"},
         "published_at": "2024-03-01T08:00:00Z"},
        {"url": "https://other.example.org/a?b=1", "stance": "denies"},
    ])
    add_verdict(client, first["id"], "Mostly False", site="politifact.com", name="PolitiFact",
                explanation="Line one.\nLine two, with a comma.", url="https://www.politifact.com/x/",
                review_date="2024-03-02T10:00:00Z")
    add_verdict(client, first["id"], "Four stars", site="example.org", rating_value=4, best_rating=5,
                worst_rating=1)
    create_claim(client, auth, NEAR_COPY, appearances=[{"url": "https://www.example.com/news/2"}])
    create_claim(client, auth, "Lo que dijo el ministro no es cierto.", language="es")


def _clean(value):
    """A representation without what a new database numbers afresh (ids, times of recording)
    and without the owning organisation or the importer, or the demand counted here: accounts
    and usage belong to an instance, not to its data."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in (
            "id", "claim_id", "group_id", "created_at", "updated_at", "published_at", "version",
            "organisation_id", "imported", "imported_by_id", "demand")}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def snapshot(client) -> dict:
    claims = client.get("/api/v1/claims", query_string={"limit": 100}).json["items"]
    by_id = {c["id"]: c["text"] for c in claims}
    links = {}
    for claim in claims:
        for link in client.get(f"/api/v1/claims/{claim['id']}/links").json["items"]:
            pair = (by_id[link["claim"]["id"]], by_id[link["other"]["id"]])
            links[pair] = (link["status"], link["score"])
    return {"claims": sorted((_clean(c) for c in claims), key=lambda c: c["text"]), "links": links}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_then_import_into_an_empty_database_round_trips(app, client, auth, empty_app, tmp_path, fmt):  # noqa: F811
    build_story(client, auth)
    source = snapshot(client)
    assert source["links"] and any(c["status"] == "contested" for c in source["claims"])
    path = tmp_path / f"claims.{fmt}"
    assert "Exported 3 claims" in run(app, "export-claims", "--format", fmt, str(path))

    with empty_app.app_context():
        flask_migrate.upgrade()
        output = run(empty_app, "import-claims", "--format", fmt, str(path))
        assert "3 created, 0 updated, 0 unchanged; 2 verdicts added; 1 links; rejected 0 lines" in output
        assert snapshot(empty_app.test_client()) == source
        # Importing the same file again adds nothing.
        again = run(empty_app, "import-claims", "--format", fmt, str(path))
        assert "0 created, 0 updated, 3 unchanged; 0 verdicts added" in again
        assert snapshot(empty_app.test_client()) == source


def test_liar_rows_are_mapped_by_the_declared_mapping():
    rows = list(formats.read_liar(io.StringIO(LIAR_ROWS)))
    assert [number for number, _, _ in rows] == [1, 2, 3, 4]
    first = rows[0][1]
    assert first == {
        "text": "Says the Annies List political group supports third-trimester abortions on demand.",
        "claimant": {"name": "Dwayne Bohac"}, "language": "en",
        "verdicts": [{"publisher": {"name": "PolitiFact (LIAR dataset)", "site": "politifact.com"},
                      "rating": "false"}],
    }
    assert rows[1][1]["text"].endswith('"by voting to give George Bush the benefit of the doubt on Iran."')
    assert rows[2][1] is None and "14" in rows[2][2]
    assert "claimant" not in rows[3][1]


def test_import_liar_tsv(app, client, tmp_path):
    path = tmp_path / "liar.tsv"
    path.write_text(LIAR_ROWS, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-claims", "--format", "liar", str(path)])
    assert result.exit_code == 1, result.output  # line 3 was rejected
    assert "3 created" in result.stdout and "3 verdicts added" in result.stdout
    assert "rejected 1 lines" in result.stdout and "line 3: expected 14" in result.stderr

    claims = {c["text"][:12]: c for c in client.get("/api/v1/claims").json["items"]}
    obama = claims["Hillary Clin"]
    assert obama["claimant"]["name"] == "Barack Obama"
    (verdict,) = obama["verdicts"]
    assert verdict["publisher"] == {"name": "PolitiFact (LIAR dataset)", "site": "politifact.com"}
    assert (verdict["rating"], verdict["score"], verdict["category"]) == ("mostly-true", 0.75, "true")
    assert claims["Says the moo"]["consensus"] == {"category": "false", "score": 0.0}


def test_csv_with_the_documented_header_one_row_per_claim(app, client, tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(
        "text,claimant,url,stance,publisher_name,publisher_site,rating\n"
        "Crime fell by half last year.,Mayor Smith,https://news.example.com/a,asserts,Desk,desk.example.org,False\n"
        ",Nobody,,,,,\n"
        "Crime fell by half last year.,,https://radio.example.com/b,denies,,,\n"
        "Bridges are safe.,,,,Desk,desk.example.org,Barely True\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-claims", "--format", "csv", str(path)])
    assert result.exit_code == 1, result.output  # line 3 was rejected
    assert "2 created, 1 updated" in result.stdout and "rejected 1 lines" in result.stderr + result.stdout
    assert "line 3: {'text'" in result.stderr
    crime = client.get("/api/v1/claims", query_string={"q": "Crime"}).json["items"][0]
    assert [a["stance"] for a in crime["appearances"]] == ["asserts", "denies"]
    assert crime["status"] == "contested" and crime["claimant"]["name"] == "Mayor Smith"


def test_jsonl_bad_lines_are_reported_by_number_and_the_rest_imported(app, client, tmp_path):
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": "A claim with a verdict.", "verdicts": [
            {"publisher": {"name": "Desk", "site": "desk.example.org"}, "rating": "True"}]}),
        "{not json",
        json.dumps({"text": "No publisher.", "verdicts": [{"rating": "True"}]}),
        json.dumps({"text": "Unknown field.", "colour": "red"}),
        json.dumps({"text": "A plain claim."}),
    ]) + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-claims", str(path)])
    assert result.exit_code == 1, result.output  # lines were rejected
    assert "2 created" in result.stdout and "rejected 3 lines" in result.stdout
    for line in ("line 2: not JSON", "line 3: {'verdicts'", "line 4: {'colour'"):
        assert line in result.stderr
    texts = {c["text"]: c for c in client.get("/api/v1/claims").json["items"]}
    assert set(texts) == {"A claim with a verdict.", "A plain claim."}
    assert texts["A claim with a verdict."]["status"] == "checked"
