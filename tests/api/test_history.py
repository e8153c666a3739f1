"""A claim's history as a fact-checker reads it, and the reason a verdict was withdrawn."""
from tests.api.helpers import (
    BASE_CLAIM,
    CLAIMS,
    NEAR_COPY,
    REWORDED,
    assert_problem,
    create_claim,
    decide_link,
    link_between,
)
from tests.api.newsrooms import VERDICTS, history, patch_verdict, post_verdict

INTERNAL = {"link_text", "n_terms", "text_key", "group_id", "contest_score", "version", "id", "user_id",
            "organisation_id", "token_id", "private_to", "claimant_id", "publisher_id", "article_id"}


def test_every_wording_shows_its_groups_events(client, newsrooms):
    a, b = newsrooms
    base = create_claim(client, a.factchecker, BASE_CLAIM)
    reworded = create_claim(client, b.factchecker, REWORDED)
    link = link_between(client, base["id"], reworded["id"])
    decide_link(client, b.editor, link["id"], "confirmed")
    verdict = post_verdict(client, a.factchecker, base["id"], "False")

    entries = history(client, reworded["id"], b.reader)
    assert [e["action"] for e in entries] == ["verdict.submitted", "link.confirmed", "claim.created",
                                              "claim.created"]
    submitted, confirmed = entries[0], entries[1]
    assert (submitted["claim_id"], submitted["entity_id"]) == (base["id"], verdict["id"])
    assert submitted["by"] == {"user": "Desk A factchecker", "newsroom": "Desk A"}
    assert submitted["after"]["publisher"] == "Desk A" and submitted["after"]["rating"] == "False"
    assert confirmed["by"] == {"user": "Desk B editor", "newsroom": "Desk B"}
    assert confirmed["after"]["claims"] == [base["id"], reworded["id"]]
    assert (confirmed["before"]["status"], confirmed["after"]["status"]) == ("suggested", "confirmed")
    for entry in entries:
        assert not (set(entry["after"]) & INTERNAL), entry
    assert history(client, base["id"], a.reader) == entries


def test_a_rejected_link_shows_on_both_wordings(client, newsrooms):
    a, b = newsrooms
    base = create_claim(client, a.factchecker, BASE_CLAIM)
    reworded = create_claim(client, a.factchecker, REWORDED)
    decide_link(client, b.factchecker, link_between(client, base["id"], reworded["id"])["id"], "rejected")
    for claim in (base, reworded):
        assert history(client, claim["id"])[0]["action"] == "link.rejected"


def test_drafts_on_other_wordings_stay_their_newsrooms(client, newsrooms):
    a, b = newsrooms
    base = create_claim(client, a.factchecker, BASE_CLAIM)
    copy = create_claim(client, a.factchecker, NEAR_COPY)
    assert copy["group_id"] == base["id"]
    draft = post_verdict(client, b.factchecker, base["id"], "Secret rating", status="draft")

    def drafts(auth):
        return [e for e in history(client, copy["id"], auth) if e["entity"] == "verdict"]
    assert [e["entity_id"] for e in drafts(b.reader)] == [draft["id"]]
    assert drafts(a.editor) == [] and drafts(None) == []


def test_withdrawing_takes_a_reason_shown_with_the_verdict(client, newsrooms):
    a, b = newsrooms
    claim = create_claim(client, a.factchecker)
    verdict = post_verdict(client, a.factchecker, claim["id"], "False")
    assert_problem(patch_verdict(client, a.factchecker, verdict["id"], status="withdrawn"), 422, "reason")
    assert_problem(patch_verdict(client, a.factchecker, verdict["id"], rating="True", reason="Why not."),
                   422, "reason")
    assert_problem(patch_verdict(client, b.factchecker, verdict["id"], status="withdrawn", reason="Ours."), 403)

    response = patch_verdict(client, a.editor, verdict["id"], status="withdrawn", reason="The quote was misattributed.")
    assert response.status_code == 200, response.json
    assert response.json["withdrawn_reason"] == "The quote was misattributed."
    shown = client.get(f"{VERDICTS}/{verdict['id']}", headers=b.reader).json
    assert (shown["status"], shown["withdrawn_reason"]) == ("withdrawn", "The quote was misattributed.")
    entry = history(client, claim["id"], b.reader)[0]
    assert (entry["action"], entry["after"]["withdrawn_reason"], entry["by"]["newsroom"]) == (
        "verdict.withdrawn", "The quote was misattributed.", "Desk A")


def test_history_of_an_unknown_claim_is_404(client):
    assert_problem(client.get(f"{CLAIMS}/4242/history"), 404)
