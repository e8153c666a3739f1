"""ClaimReview as fact-checking sites publish it (issue 19): lenient reading, what the markup says
kept, Google's claims:search shape; each variant in tests/api/claimreview_variants.py."""
import json

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Verdict
from tests.api.claimreview_variants import GOOGLE_SEARCH, SITE, VARIANTS
from tests.api.helpers import get_claim

IMPORT = "/api/v1/claimreviews/import"


def import_(client, auth, document) -> dict:
    response = client.post(IMPORT, json=document, headers=auth)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def imported(client, auth, name: str) -> tuple[dict, dict, dict]:
    """(summary, claim, verdict) of one variant imported on its own."""
    summary = import_(client, auth, VARIANTS[name])
    assert (summary["created"], summary["rejected"]) == (1, []), summary
    verdict = db.session.scalars(select(Verdict)).one()
    claim = get_claim(client, verdict.claim_id)
    (shown,) = claim["verdicts"]
    return summary, claim, shown


def test_empty_numbers_are_absent_not_invalid(client, auth):
    summary, _claim, verdict = imported(client, auth, "empty numbers")
    assert summary["warnings"] == []
    assert (verdict["rating"], verdict["rating_value"], verdict["category"]) == ("Falso", None, "false")


def test_a_relative_author_url_resolves_against_the_review(client, auth):
    _, _, verdict = imported(client, auth, "relative author url")
    assert verdict["publisher"] == {"name": "Verificador", "site": "verificador.example.org"}
    assert verdict["category"] == "mixed"


def test_a_scheme_less_review_url_is_https(client, auth):
    _, _, verdict = imported(client, auth, "scheme-less review url")
    assert verdict["url"] == "https://verificador.example.org/noticias/vacina-gripe/"


@pytest.mark.parametrize("name, instant", [("offset without padding", "2020-06-22T06:56:08"),
                                           ("UTC suffix", "2017-03-01T20:30:17")])
def test_dates_as_sites_write_them(client, auth, name, instant):
    _, _, verdict = imported(client, auth, name)
    assert verdict["review_date"].startswith(instant)


def test_several_claimants_are_named_together(client, auth):
    _, claim, _ = imported(client, auth, "claimant list")
    assert claim["claimant"]["name"] == "Jean Dupont, Marie Curie"


def test_a_list_of_claim_texts_gives_its_first(client, auth):
    _, claim, _ = imported(client, auth, "claim text list")
    assert claim["text"] == "Die Regierung plant eine Impfpflicht für Kinder"


def test_a_numeric_explanation_is_kept_as_text(client, auth):
    _, _, verdict = imported(client, auth, "explanation as a number")
    assert verdict["explanation"] == "3"


def test_in_language_is_normalised_and_given(client, auth):
    _, claim, _ = imported(client, auth, "inLanguage with an underscore")
    assert (claim["language"], claim["language_source"]) == ("en-US", "given")


def test_appearances_that_are_not_urls_are_dropped_with_a_warning(client, auth):
    summary, claim, _ = imported(client, auth, "appearances that are not urls")
    assert [a["url"] for a in claim["appearances"]] == ["https://social.example/p/1"]
    (warned,) = summary["warnings"]
    assert set(warned["warnings"]) == {"itemReviewed.appearance[0].url", "itemReviewed.appearance[1].url"}
    assert warned["index"] == 0 and warned["path"] == "$"


def test_an_author_given_by_id_is_found_in_the_page_and_other_nodes_are_skipped_quietly(client, auth):
    summary, claim, verdict = imported(client, auth, "author by @id")
    assert summary == {"created": 1, "updated": 0, "unchanged": 0, "rejected": [], "warnings": []}
    assert verdict["publisher"] == {"name": "Verificador", "site": "verificador.example.org"}
    assert (claim["language"], verdict["category"]) == ("zh", "false")


def test_the_claims_own_url_and_date_are_kept(client, auth):
    _, claim, _ = imported(client, auth, "claim's source in itemReviewed.url")
    (appearance,) = claim["appearances"]
    assert appearance["url"] == "https://social.example/posts/42"
    assert appearance["published_at"].startswith("2022-08-30")


def test_html_entities_are_unescaped(client, auth):
    _, claim, _ = imported(client, auth, "HTML entities")
    assert claim["text"] == "Rishi Sunak praises Manmohan Singh's economy ideas"
    assert claim["claimant"]["name"] == "Tom & Jerry"


def test_a_sentence_long_label_is_kept_and_read_by_its_verdict_word(client, auth):
    _, _, verdict = imported(client, auth, "sentence-long label")
    assert verdict["rating"].startswith("FALSO: los motociclistas") and verdict["category"] == "false"


def test_a_rating_with_a_value_and_no_label_is_labelled_by_it(client, auth):
    _, _, verdict = imported(client, auth, "a value, no label")
    assert (verdict["rating"], verdict["score"], verdict["category"]) == ("1/5", 0.0, "false")


def test_an_unreadable_optional_number_is_dropped_and_said(client, auth):
    summary, _, verdict = imported(client, auth, "an unreadable optional number")
    assert summary["warnings"][0]["warnings"] == {"reviewRating.bestRating": ["Not a valid number."]}
    assert (verdict["rating"], verdict["best_rating"], verdict["category"]) == ("Engañoso", None, "mixed")


def test_a_journalist_is_not_taken_for_the_publisher(client, auth):
    _, _, verdict = imported(client, auth, "a journalist as author")
    assert verdict["publisher"]["site"] == "verificador.example.org"
    assert "Pacheco" not in verdict["publisher"]["name"]


def test_a_review_without_a_url_is_named_by_its_page_and_signed_by_its_organisation(client, auth):
    _, _, verdict = imported(client, auth, "named by its page")
    assert verdict["url"] == f"{SITE}/checks/page-only/"
    assert (verdict["publisher"]["name"], verdict["category"]) == ("Verificador", "mixed")


def test_a_review_without_a_resolvable_url_is_rejected(client, auth):
    review = {**VARIANTS["empty numbers"], "url": "/checks/somewhere/",
              "author": {"@type": "Person", "name": "Someone"}}
    summary = import_(client, auth, review)
    assert summary["created"] == 0 and "url" in summary["rejected"][0]["errors"]


def test_googles_claims_search_answer_imports_through_the_same_path(client, auth):
    summary = import_(client, auth, GOOGLE_SEARCH)
    assert (summary["created"], summary["rejected"]) == (2, [])
    (claim,) = client.get("/api/v1/claims").json["items"]
    assert (claim["text"], claim["language"], claim["claimant"]["name"]) == (
        "Windräder töten jährlich Millionen Vögel", "de", "Social-Media-Nutzer")
    ratings = {v["publisher"]["site"]: (v["rating"], v["category"]) for v in claim["verdicts"]}
    assert ratings == {"faktenpruefer.example.de": ("Irreführend", "mixed"),
                       "pruefstelle.example.de": ("Falsch", "false")}


def test_every_variant_imports_and_a_second_import_changes_nothing(client, auth):
    document = [*VARIANTS.values(), GOOGLE_SEARCH]
    first = import_(client, auth, document)
    assert (first["created"], first["rejected"]) == (len(VARIANTS) + 2, [])
    before = client.get("/api/v1/claims", query_string={"limit": 100}).json
    second = import_(client, auth, document)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, len(VARIANTS) + 2)
    assert second["warnings"] == first["warnings"]
    assert client.get("/api/v1/claims", query_string={"limit": 100}).json == before


def test_the_cli_says_what_it_dropped(app, tmp_path):
    path = tmp_path / "page.json"
    path.write_text(json.dumps([VARIANTS["an unreadable optional number"], VARIANTS["author by @id"]]),
                    encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-claimreview", str(path)])
    assert result.exit_code == 0, result.output
    assert "created 2" in result.output and "with warnings 1" in result.output
    assert "reviewRating.bestRating" in result.output


def test_the_cli_resolves_relative_review_urls_against_the_page(app, tmp_path):
    path = tmp_path / "page.json"
    review = {**VARIANTS["empty numbers"], "url": "/checks/relative/", "author": {"@type": "Person", "name": "X"}}
    path.write_text(json.dumps(review), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-claimreview", str(path), "--base-url", f"{SITE}/x"])
    assert result.exit_code == 0 and "created 1" in result.output, result.output
    assert db.session.scalars(select(Verdict.url)).one() == f"{SITE}/checks/relative/"


# --- what the markup says, kept ---
def test_a_missing_review_date_stays_missing(client, auth):
    review = {key: value for key, value in VARIANTS["empty numbers"].items() if key != "datePublished"}
    import_(client, auth, review)
    (verdict,) = get_claim(client, db.session.scalars(select(Verdict.claim_id)).one())["verdicts"]
    assert verdict["review_date"] is None
    (published,) = client.get(f"/api/v1/claims/{verdict['claim_id']}/claimreview").json
    assert "datePublished" not in published


def test_dates_keep_their_offset_and_the_claims_date_is_kept_without_a_source(client, auth):
    review = {**VARIANTS["claimant list"], "datePublished": "2022-09-01T22:06-03:00"}
    review["itemReviewed"] = {**review["itemReviewed"], "datePublished": "2022-08-30"}
    import_(client, auth, review)
    claim_id = db.session.scalars(select(Verdict.claim_id)).one()
    claim = get_claim(client, claim_id)
    assert claim["appearances"] == [] and claim["claim_date"].startswith("2022-08-30T00:00:00")
    assert claim["verdicts"][0]["review_date"].startswith("2022-09-02T01:06:00")  # the API speaks UTC
    (published,) = json.loads(client.get(f"/api/v1/claims/{claim_id}/claimreview").get_data(as_text=True))
    assert published["datePublished"] == "2022-09-01T22:06:00-03:00"
    assert published["itemReviewed"]["datePublished"] == "2022-08-30"


def test_each_review_keeps_the_name_it_was_signed_with(client, auth):
    first = {**VARIANTS["empty numbers"], "author": {"@type": "Organization", "name": "Verificador", "url": SITE}}
    second = {**VARIANTS["UTC suffix"], "author": {"@type": "Organization", "name": "Verificador Brasil",
                                                   "url": SITE}}
    import_(client, auth, [first, second])
    names = {v.url: v.signed_by for v in db.session.scalars(select(Verdict))}
    assert {name for name, _ in names.values()} == {"Verificador", "Verificador Brasil"}
    assert {site for _, site in names.values()} == {"verificador.example.org"}
    shown = {v["url"]: v["publisher"]["name"] for c in client.get("/api/v1/claims").json["items"]
             for v in c["verdicts"]}
    assert shown == {first["url"]: "Verificador", second["url"]: "Verificador Brasil"}
