"""factcheck.articles without the app: sentences, who says what, how, and how checkable."""
from pathlib import Path

import pytest

from factcheck.articles import NoText, analyse, article_text
from factcheck.articles.attribution import reported
from factcheck.articles.people import People

STORY = (Path(__file__).resolve().parents[2] / "seeds" / "il20-article.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("sentence", "claim", "speaker", "stance"), [
    ("The mayor said that 300 homes were flooded.", "300 homes were flooded.", "The mayor", "asserts"),
    ("Unemployment fell to 4 percent, the minister told parliament.", "Unemployment fell to 4 percent.",
     "the minister", "asserts"),
    ("Unemployment fell to 4 percent, said Jane Doe.", "Unemployment fell to 4 percent.", "Jane Doe", "asserts"),
    ("According to the World Bank, the economy grew 3 percent.", "The economy grew 3 percent.",
     "the World Bank", "asserts"),
    ("Police denied that officers fired first.", "Officers fired first.", "Police", "denies"),
    ("Rain is expected on Tuesday.", None, None, None),
])
def test_reported_speech_names_its_speaker_and_stance(sentence, claim, speaker, stance):
    found = reported(sentence)
    if claim is None:
        assert found == []
        return
    (statement,) = found
    assert (statement.claim, statement.speaker, statement.stance) == (claim, speaker, stance)


def test_an_accusation_its_denial_and_what_the_denier_adds():
    found = reported("Russia accused the Israeli pilot of using the plane as a shield but Israel has "
                     "denied the charge, adding that Russia was notified of the raid in advance.")
    assert [(s.claim, s.speaker, s.stance) for s in found] == [
        ("The Israeli pilot used the plane as a shield.", "Russia", "asserts"),
        ("The Israeli pilot used the plane as a shield.", "Israel", "denies"),
        ("Russia was notified of the raid in advance.", "Israel", "asserts"),
    ]


def test_later_mentions_resolve_to_the_full_name_given_first():
    people = People("Kremlin spokesman Dmitry Peskov spoke. Prime Minister Benjamin Netanyahu flew. Later Peskov said.")
    assert people.resolve("Peskov") == "Kremlin spokesman Dmitry Peskov"
    assert people.resolve("the prime minister") == "Prime Minister Benjamin Netanyahu"
    assert people.resolve("Netanyahu’s office") == "Prime Minister Benjamin Netanyahu’s office"
    assert people.resolve("he") is None
    people.spoke("Kremlin spokesman Dmitry Peskov")
    assert people.resolve("he") == "Kremlin spokesman Dmitry Peskov"


def test_the_seed_story_offline_without_embeddings():
    analysis = analyse(STORY)
    assert analysis.language == "en" and analysis.scorer == "ngrams"
    by_claim = {(c.claim, c.claimant): c for c in analysis.candidates}
    assert by_claim[("Russia was notified of the raid in advance.", "Israel")].stance == "asserts"
    for c in analysis.candidates:
        assert analysis.text[c.start:c.end] == c.sentence


def test_html_gives_its_main_text_and_nothing_gives_no_text():
    html = "<html><body><nav>Menu</nav><article>" + "".join(
        f"<p>{line}</p>" for line in STORY.splitlines() if line) + "</article></body></html>"
    assert "Kremlin spokesman Dmitry Peskov" in article_text(html=html)
    for empty in ("", "<html><body></body></html>"):
        with pytest.raises(NoText):
            article_text(html=empty)
    with pytest.raises(NoText):
        article_text(text=" 12 -- ")
