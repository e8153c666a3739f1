"""Every way a claim arrives or changes leaves it with one vector of the model in use."""
import numpy as np
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.matching import clean_text
from factcheck.models import Claim, ClaimVector
from factcheck.semantic import load_encoder
from factcheck.services.exchange.bulk import import_claims
from factcheck.services.exchange.seed import load_seed
from tests.api.helpers import CLAIMS, create_claim, if_match
from tests.api.test_claimreview import import_, review
from tests.conftest import bearer
from tests.semantic.conftest import MODEL


def vectors() -> dict[int, np.ndarray]:
    rows = db.session.execute(select(ClaimVector.claim_id, ClaimVector.model, ClaimVector.vector)).all()
    assert {model for _, model, _ in rows} <= {MODEL}
    return {claim_id: np.frombuffer(vector, dtype=np.float32) for claim_id, _, vector in rows}


def expected(text: str) -> np.ndarray:
    return load_encoder(MODEL).encode([clean_text(text)])[0]


def assert_embedded(claim_ids) -> None:
    """Each claim's stored vector is its text's. In bfloat16 a text's vector moves a little
    with the batch it was encoded in (cosine above 0.9999); the closest two texts of these
    tests are at 0.98."""
    stored = vectors()
    texts = dict(db.session.execute(select(Claim.id, Claim.text).where(Claim.id.in_(claim_ids))).all())
    assert set(texts) == set(claim_ids)
    for claim_id, text in texts.items():
        assert float(stored[claim_id] @ expected(text)) > 0.999, text


def test_a_claim_posted_is_embedded(client, auth):
    claim = create_claim(client, auth, "Israel notified Russia in advance of its airstrike on Latakia.")
    assert_embedded([claim["id"]])


def test_a_bulk_import_embeds_every_claim(app):
    summary = import_claims([{"text": f"Claim number {word} about the strike on Latakia."}
                             for word in ("one", "two", "three")])
    assert summary.created == 3
    assert_embedded(list(db.session.scalars(select(Claim.id))))


def test_a_claimreview_import_embeds_its_claim(client, auth):
    import_(client, auth, review())
    assert_embedded(list(db.session.scalars(select(Claim.id))))


def test_the_seed_is_embedded(app):
    load_seed([({"text": "Russia will provide Syria with S-300s."}, [])])
    assert_embedded(list(db.session.scalars(select(Claim.id))))


def test_a_corrected_text_gets_a_new_vector(client, auth):
    claim = create_claim(client, auth, "Russia will provide Syria with S-300s.")
    url = f"{CLAIMS}/{claim['id']}"
    before = vectors()[claim["id"]]
    response = client.patch(url, json={"text": "Russia will provide Iran with S-400s."}, headers=if_match(client, url, auth))
    assert response.status_code == 200, response.json
    assert_embedded([claim["id"]])
    assert not np.allclose(vectors()[claim["id"]], before)


def test_a_removed_claim_loses_its_vector(client, auth):
    kept = create_claim(client, auth, "Israel notified Russia in advance of its airstrike on Latakia.")
    removed = create_claim(client, auth, "The Russian plane was shot down by Syrian air defences.")
    url = f"{CLAIMS}/{removed['id']}"
    response = client.delete(url, query_string={"reason": "A duplicate."}, headers=if_match(client, url, bearer("editor")))
    assert response.status_code == 204, response.get_data(as_text=True)
    assert set(vectors()) == {kept["id"]}
