"""A fixed number of SQL statements per read, whatever the page holds (no N+1), and per new claim."""
import re

import pytest

from factcheck.extensions import db
from factcheck.services.claims import records as claim_service
from factcheck.services.verdicts import reviews as verdict_service
from tests.api.helpers import CLAIMS, MATCH, counted, statements_for

# Statements per request, as SQLAlchemy's cursor listeners see them. A match whose first
# claim matched strongly adds the UPDATE that counts the ask (services.claims.demand).
EXPECTED = {"contested": 3, "list": 3, "detail": 3, "match": 7, "list by outlet": 4}
# POST /claims of the test below, linking included (PostgreSQL's advisory locks are statements too).
CREATE = {"sqlite": 35, "postgresql": 36}
WORDS = ("senator budget tariff vaccine pension border ferry lottery drought harbour census "
         "subsidy pipeline orchard glacier stadium railway".split())


def _text(n: int, topic: str) -> str:
    """A distinct sentence per n, so no two claims are near-duplicates and link."""
    a, b, c = WORDS[n % 17], WORDS[(n // 17) % 17], WORDS[(n * 7 + 3) % 17]
    return f"Number {n} {topic}: the {a} {b} report says {c} costs rose {n * 13 + 7} percent."


def _claim(n: int, appearances: int, verdicts: int, topic: str = "claim") -> int:
    """A contested claim: sources split (asserts/denies) and publishers disagree (True/False),
    each appearance from another outlet and claimant, each verdict from another publisher."""
    data = {"text": _text(n, topic), "claimant": {"name": f"Claimant {n}"}, "appearances": [
        {"url": f"https://outlet{k}.example.com/{topic}/{n}", "claimant": {"name": f"Speaker {k}"},
         "stance": ("asserts", "denies")[k % 2], "quote": f"quote {k}"} for k in range(appearances)]}
    claim_id = claim_service.create_claim(data)
    for k in range(verdicts):
        verdict_service.submit_verdict(claim_id, {
            "publisher": {"name": f"Desk {k}", "site": f"desk{k}.example.org"},
            "rating": ("True", "False")[k % 2]})
    return claim_id


def assert_counts(expected: int, *runs: list[str]) -> None:
    """Every run sent `expected` statements; a failure shows what each one sent."""
    shown = "\n\n".join("\n".join(" ".join(s.split())[:200] for s in run) for run in runs)
    assert [len(run) for run in runs] == [expected] * len(runs), shown


@pytest.fixture
def many(app):
    """55 contested claims with 3 appearances and 3 verdicts each (built once for the three
    page-shaped endpoints: it is the slow part)."""
    return [_claim(n, appearances=3, verdicts=3) for n in range(55)]


def test_pages_take_the_same_statements_for_5_or_50_claims(client, many):
    for name, url in (("contested", f"{CLAIMS}/contested"), ("list", CLAIMS)):
        small, small_page = statements_for(client, "GET", url, query_string={"limit": 5})
        large, large_page = statements_for(client, "GET", url, query_string={"limit": 50})
        assert len(small_page["items"]) == 5 and len(large_page["items"]) == 50
        assert all(len(c["appearances"]) == 3 and len(c["verdicts"]) == 3 for c in large_page["items"])
        assert_counts(EXPECTED[name], small, large)

    # Common words only, so every claim is a candidate and the page fills up.
    query = "The senator budget report says costs rose, claim number says."
    one, one_body = statements_for(client, "POST", MATCH, json={"text": query, "limit": 1})
    ten, ten_body = statements_for(client, "POST", MATCH, json={"text": query, "limit": 10})
    assert len(one_body["items"]) == 1 and len(ten_body["items"]) == 10
    assert all(len(item["claim"]["verdicts"]) == 3 for item in ten_body["items"])
    assert_counts(EXPECTED["match"], one, ten)


@pytest.mark.parametrize("ids_at_most", [0, 1000])
def test_a_page_of_an_outlets_claims_takes_one_statement_more_however_it_is_found(
        client, many, monkeypatch, ids_at_most):
    """The outlet's appearances are read first (services.claims.records._printed_by), whether their
    claim ids then filter the page or each claim is tested."""
    monkeypatch.setattr(claim_service, "OUTLET_IDS_AT_MOST", ids_at_most)
    query = {"outlet": "outlet0.example.com"}
    small, small_page = statements_for(client, "GET", CLAIMS, query_string={**query, "limit": 5})
    large, large_page = statements_for(client, "GET", CLAIMS, query_string={**query, "limit": 50})
    assert [c["id"] for c in large_page["items"]] == sorted(many, reverse=True)[:50]
    assert len(small_page["items"]) == 5
    assert_counts(EXPECTED["list by outlet"], small, large)


def test_claim_takes_the_same_statements_with_1_or_10_appearances_and_verdicts(client):
    sparse, rich = _claim(1, 1, 1, "sparse"), _claim(2, 10, 10, "rich")
    few, sparse_body = statements_for(client, "GET", f"{CLAIMS}/{sparse}")
    lots, rich_body = statements_for(client, "GET", f"{CLAIMS}/{rich}")
    assert (len(sparse_body["appearances"]), len(sparse_body["verdicts"])) == (1, 1)
    assert (len(rich_body["appearances"]), len(rich_body["verdicts"])) == (10, 10)
    assert_counts(EXPECTED["detail"], few, lots)


def test_a_new_claim_writes_itself_and_each_new_source_once(client, auth):
    """POST /claims naming a claimant, an outlet and an article nobody named before: each is
    looked up, then inserted, the insert returning the row; the claim is inserted with its id,
    group and index length, and linked to a near-duplicate (whose group comes with the
    candidate's text). Its transaction reads no webhooks: it is not contested."""
    create = {"text": "The harbour census says ferry costs rose 40 percent in 2019, the mayor said."}
    assert client.post(CLAIMS, json=create, headers=auth).status_code == 201
    body = {"text": "The harbour census says ferry costs rose 40 percent in 2019, the mayor says.",
            "claimant": {"name": "Jane Roe"},
            "appearances": [{"url": "https://news.example.com/harbour/1", "claimant": {"name": "Jane Roe"},
                             "stance": "asserts"}]}
    with counted() as statements:
        response = client.post(CLAIMS, json=body, headers=auth)
    assert response.status_code == 201
    assert client.get(f"{CLAIMS}/{response.json['id']}/links").json["items"]  # it was linked

    def verbs(table: str) -> list[str]:
        return [s.split()[0] for s in statements if re.search(rf"\b(FROM|INTO|UPDATE) {table}\b", s)]

    assert verbs("claimants") == verbs("outlets") == ["SELECT", "INSERT"]
    assert verbs("articles") == ["SELECT", "INSERT"]
    # Written once: no statement comes back to the new claim's row alone (its group, its length).
    assert [s for s in statements if s.startswith("INSERT INTO claims ")] != []
    claim_transaction = statements[:next(i for i, s in enumerate(statements) if "pending_links.claim_id IN" in s)]
    assert not [s for s in claim_transaction if "FROM webhooks" in s]
    assert not [s for s in statements if re.match(r"UPDATE claims SET .* WHERE claims.id = ", s)]
    # The rate limiter's counts are flushed once a second, in whichever request comes then.
    statements = [s for s in statements if "rate_counters" not in s]
    assert len(statements) == CREATE[db.engine.dialect.name], "\n".join(" ".join(s.split())[:160] for s in statements)
