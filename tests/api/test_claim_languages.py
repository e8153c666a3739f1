"""A claim's language: given (any common spelling of a BCP 47 tag) or detected from its text."""
import pytest

from factcheck.extensions import db
from factcheck.models import Claim
from tests.api.helpers import assert_problem, create_claim, get_claim
from tests.api.newsrooms import Newsroom

CLAIMS = {
    "es": "El gobierno eliminará las pensiones de los jubilados a partir de enero",
    "pt": "Vacina contra a gripe causa paralisia facial em idosos, diz estudo",
    "fr": "Les vaccins contre le Covid contiennent des puces électroniques",
    "de": "Flüchtlinge bekommen in Deutschland mehr Geld als Rentner",
    "hi": "गर्म पानी पीने से कोरोना वायरस खत्म हो जाता है",
    "ar": "اللقاح يسبب العقم لدى النساء",
    "zh": "喝熱水可以殺死新冠病毒",
    "id": "Video ini menunjukkan banjir besar di Jakarta kemarin sore",
}


@pytest.mark.parametrize("language", sorted(CLAIMS))
def test_a_claim_without_language_gets_the_language_of_its_text(client, auth, language):
    claim = create_claim(client, auth, CLAIMS[language])
    assert (claim["language"], claim["language_source"]) == (language, "detected")
    assert get_claim(client, claim["id"])["language_source"] == "detected"


@pytest.mark.parametrize("given, stored", [("pt-BR", "pt-BR"), ("en_us", "en-US"), ("ZH-hant-tw", "zh-Hant-TW"),
                                           ("es", "es")])
def test_a_given_language_is_kept_in_canonical_form(client, auth, given, stored):
    # Given wins over the text: a newsroom may file an English paraphrase of a Spanish claim.
    claim = create_claim(client, auth, "The government will abolish pensions in January", language=given)
    assert (claim["language"], claim["language_source"]) == (stored, "given")


def test_a_text_without_letters_is_undetermined(client, auth):
    claim = create_claim(client, auth, "2 + 2 = 5 ???")
    assert (claim["language"], claim["language_source"]) == ("und", "detected")


@pytest.mark.parametrize("language", ["english!", "e", "en--us", "x" * 40, 7])
def test_a_language_that_is_not_a_tag_is_refused(client, auth, language):
    response = client.post("/api/v1/claims", json={"text": "A claim.", "language": language}, headers=auth)
    assert_problem(response, 422, "language")


def test_each_newsroom_gets_its_claims_languages_detected(client, newsrooms: tuple[Newsroom, Newsroom]):
    desk_a, desk_b = newsrooms
    spanish = create_claim(client, desk_a.factchecker, CLAIMS["es"])
    french = create_claim(client, desk_b.factchecker, CLAIMS["fr"], language="fr-CA")
    assert (get_claim(client, spanish["id"])["language"], get_claim(client, french["id"])["language"]) == (
        "es", "fr-CA")


def test_the_spec_documents_where_the_language_came_from(client):
    spec = client.get("/api/v1/openapi.json").json
    claim = spec["components"]["schemas"]["Claim"]["properties"]
    assert claim["language_source"]["enum"] == ["given", "detected", "unknown"]
    assert "language" not in spec["components"]["schemas"]["ClaimCreate"].get("required", [])


def test_claims_from_before_the_language_was_recorded_are_unknown_until_detected(app, client, auth):
    claim = create_claim(client, auth, CLAIMS["es"], language="en")
    db.session.execute(db.update(Claim).values(language_source="unknown"))
    db.session.commit()
    assert get_claim(client, claim["id"])["language_source"] == "unknown"

    result = app.test_cli_runner().invoke(args=["detect-languages"])
    assert result.exit_code == 0 and "1 claims" in result.output
    assert (get_claim(client, claim["id"])["language"], get_claim(client, claim["id"])["language_source"]) == (
        "es", "detected")


def test_imported_reviews_take_their_markups_language_else_the_texts(client, auth):
    def review(url: str, text: str, **fields) -> dict:
        return {"@context": "https://schema.org", "@type": "ClaimReview", "url": url, "claimReviewed": text,
                "author": {"@type": "Organization", "name": "Maldita", "url": "https://maldita.es/"},
                "reviewRating": {"@type": "Rating", "alternateName": "Falso"}, **fields}

    document = [review("https://maldita.es/1", CLAIMS["es"]),
                review("https://maldita.es/2", CLAIMS["pt"], inLanguage="pt_BR")]
    response = client.post("/api/v1/claimreviews/import", json=document, headers=auth)
    assert response.status_code == 200 and response.json["created"] == 2, response.json
    found = {c["text"]: c for c in client.get("/api/v1/claims").json["items"]}
    assert (found[CLAIMS["es"]]["language"], found[CLAIMS["es"]]["language_source"]) == ("es", "detected")
    assert (found[CLAIMS["pt"]]["language"], found[CLAIMS["pt"]]["language_source"]) == ("pt-BR", "given")
    assert {v["category"] for c in found.values() for v in c["verdicts"]} == {"false"}
