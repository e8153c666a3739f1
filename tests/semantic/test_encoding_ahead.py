"""A bulk import encodes each batch's new texts while the batch before it is imported, in a
thread of its own, each text once."""
import threading

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services.exchange.bulk import import_claims
from factcheck.services.links.embeddings import semantic
from tests.semantic.test_embedding import assert_embedded

TEXTS = [f"The ministry said {n} convoys crossed the border near Latakia." for n in
         ("two", "three", "five", "seven", "eleven", "thirteen", "seventeen")]


class Watched:
    """The stage's encoder, noting each text it encodes and the thread that asked."""

    def __init__(self, encoder, fail_on: str | None = None):
        self._encoder = encoder
        self.fail_on = fail_on
        self.encoded: list[tuple[str, str]] = []  # (thread name, text)

    def __getattr__(self, name):
        return getattr(self._encoder, name)

    def encode(self, texts, *, query=False):
        if self.fail_on is not None and any(self.fail_on in text for text in texts):
            raise RuntimeError("the encoder failed")
        self.encoded.extend((threading.current_thread().name, text) for text in texts)
        return self._encoder.encode(texts, query=query)


@pytest.fixture
def encoder(app, monkeypatch):
    stage = semantic()
    watched = Watched(stage.encoder)
    monkeypatch.setattr(stage, "encoder", watched)
    return watched


def test_each_new_text_of_an_import_is_encoded_once_by_the_thread_ahead(app, encoder):
    summary = import_claims([{"text": text} for text in TEXTS], batch_size=3)

    assert summary.created == len(TEXTS)
    assert_embedded(list(db.session.scalars(select(Claim.id))))
    assert sorted(text for _, text in encoder.encoded) == sorted(TEXTS)
    assert {thread for thread, _ in encoder.encoded} == {"factcheck-encode_0"}


def test_a_reimport_encodes_only_the_texts_not_stored(app, encoder):
    import_claims([{"text": text} for text in TEXTS[:4]], batch_size=3)
    encoder.encoded.clear()

    summary = import_claims([{"text": text} for text in TEXTS], batch_size=3)

    assert (summary.created, summary.unchanged) == (3, 4)
    assert sorted(text for _, text in encoder.encoded) == sorted(TEXTS[4:])


def test_an_encoding_failure_stops_the_import_after_the_batches_before_it(app, encoder):
    encoder.fail_on = "eleven"  # TEXTS[4], in the second batch

    with pytest.raises(RuntimeError, match="the encoder failed"):
        import_claims([{"text": text} for text in TEXTS], batch_size=3)

    db.session.remove()
    assert set(db.session.scalars(select(Claim.text))) == set(TEXTS[:3])
    assert_embedded(list(db.session.scalars(select(Claim.id))))


def test_batches_too_large_to_keep_encoded_are_encoded_by_the_import_itself(app, encoder):
    import_claims([{"text": text} for text in TEXTS], batch_size=5000)

    assert sorted(text for _, text in encoder.encoded) == sorted(TEXTS)
    assert {thread for thread, _ in encoder.encoded} == {threading.current_thread().name}
