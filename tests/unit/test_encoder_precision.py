"""The sentence encoder in bfloat16 and in float32: unit float32 vectors either way, close enough
to be compared with each other; an unknown precision is refused."""
import numpy as np
import pytest

from factcheck.semantic import SemanticUnavailable, load_encoder
from factcheck.semantic.encoders import _precision

MODEL = "all-MiniLM-L6-v2"
TEXTS = ["Russia was notified of the raid in advance.",
         "Moscow was warned ahead of the Israeli strike on Latakia.",
         "Fifteen crew members died when the Il-20 was shot down over the Mediterranean Sea."]


@pytest.fixture(scope="module")
def encoders():
    try:
        return {p: load_encoder(MODEL, precision=p) for p in ("float32", "bfloat16")}
    except SemanticUnavailable as error:
        pytest.skip(str(error))


def test_both_precisions_give_unit_float32_vectors_with_the_same_cosines(encoders):
    vectors = {p: encoder.encode(TEXTS) for p, encoder in encoders.items()}
    for p, v in vectors.items():
        assert encoders[p].precision == p
        assert v.dtype == np.float32 and v.shape == (3, encoders[p].dimensions)
        assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-6)
    agreement = np.einsum("ij,ij->i", vectors["float32"], vectors["bfloat16"])
    assert agreement.min() > 0.99
    cosines = {p: v @ v.T for p, v in vectors.items()}
    assert np.abs(cosines["float32"] - cosines["bfloat16"]).max() < 0.02
    # The rewording is nearer the claim than the casualty report in both.
    assert all(c[0, 1] > c[0, 2] for c in cosines.values())


def test_auto_is_bfloat16_only_where_the_cpu_has_it(monkeypatch):
    import torch

    for avx512_bf16, amx, expected in ((True, False, "bfloat16"), (False, True, "bfloat16"),
                                       (False, False, "float32")):
        monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda value=avx512_bf16: value)
        monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda value=amx: value)
        assert _precision("auto") == expected
    assert _precision("float32") == "float32"


def test_an_unknown_precision_is_refused():
    with pytest.raises(SemanticUnavailable, match="float16"):
        load_encoder(MODEL, precision="float16")


def test_many_texts_are_encoded_in_larger_batches_to_the_same_vectors(encoders, monkeypatch):
    encoder = encoders["float32"]
    texts = [f"{text} ({n} of the wire copies)" for n in range(encoder.bulk_from // len(TEXTS) + 1)
             for text in TEXTS]
    one_by_one = np.vstack([encoder.encode([text]) for text in texts[:12]])
    model, batches = encoder._model, []

    def encode(sentences, **kwargs):
        batches.append(kwargs["batch_size"])
        return type(model).encode(model, sentences, **kwargs)

    monkeypatch.setattr(model, "encode", encode)
    together = encoder.encode(texts)
    encoder.encode(texts[:12])
    assert batches == [encoder.bulk_batch_size, encoder.batch_size]
    assert len(texts) >= encoder.bulk_from > encoder.bulk_batch_size > encoder.batch_size
    assert np.einsum("ij,ij->i", together[:12], one_by_one).min() > 0.9999
