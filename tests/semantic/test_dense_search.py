"""The dense stage's search (encoding a text, finding its nearest vectors) runs in a thread of
the worker's own while the words' candidates are read, for a match and for a new claim's links."""
import threading

from factcheck.services.links.dense import DenseIndex
from factcheck.services.links.match_index import SqlClaimIndex
from tests.api.helpers import create_claim, link_between, match
from tests.conftest import bearer
from tests.semantic.test_matching import NOTIFIED, STORE


def _overlapped(monkeypatch) -> dict:
    """From here on, the words' candidate query of each match or link waits for the dense
    stage's search: whether that search ended meanwhile is noted, and where it ran."""
    searched, seen = threading.Event(), {"waited": [], "threads": set()}

    def nearest(self, *args, **kwargs):
        seen["threads"].add(threading.current_thread().name)
        found = real_nearest(self, *args, **kwargs)
        searched.set()
        return found

    def ranked_candidates(self, *args, **kwargs):
        # Read in turn (the search waiting for the words' answer), this would time out.
        seen["waited"].append(searched.wait(timeout=30))
        searched.clear()
        return real_ranked(self, *args, **kwargs)

    real_nearest, real_ranked = DenseIndex.nearest, SqlClaimIndex.ranked_candidates
    monkeypatch.setattr(DenseIndex, "nearest", nearest)
    monkeypatch.setattr(SqlClaimIndex, "ranked_candidates", ranked_candidates)
    return seen


def test_a_match_searches_by_meaning_while_its_words_are_read(client, app, monkeypatch):
    ids = {text: create_claim(client, bearer("factchecker"), text)["id"] for text in STORE}
    overlapped = _overlapped(monkeypatch)

    assert match(client, "The IDF says it warned the Kremlin ahead of the Latakia strike")[0]["claim"]["id"] \
        == ids[NOTIFIED]
    assert overlapped["waited"] == [True]
    assert overlapped["threads"] == {"factcheck-search_0"}


def test_a_new_claims_links_are_searched_by_meaning_while_its_words_are_read(client, app, monkeypatch):
    auth = bearer("factchecker")
    first = create_claim(client, auth, "Russia will provide Syria with S-300 missile systems.")["id"]
    overlapped = _overlapped(monkeypatch)

    second = create_claim(client, auth, "Russia will provide Syria with the S-300 missile systems.")["id"]

    assert link_between(client, first, second) is not None
    assert overlapped["waited"] and all(overlapped["waited"])
    assert overlapped["threads"] == {"factcheck-search_0"}
