"""Claim vectors in memory, in float32 and in bfloat16: the same neighbours, cosines within a
thousandth, rows kept as the matrix grows and as a claim's vector is replaced."""
import numpy as np
import pytest

from factcheck.semantic.vectors import VectorStore


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def vectors():
    return unit(np.random.default_rng(4).standard_normal((300, 24)))


@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_both_precisions_find_the_same_neighbours(vectors, precision):
    if precision == "bfloat16":
        pytest.importorskip("torch")
    store = VectorStore(24, precision=precision, block_rows=16)  # 19 blocks
    store.add((n + 1, 1000 + n, vector) for n, vector in enumerate(vectors))
    assert len(store) == 300 and store.loaded_upto == 300
    queries = unit(vectors[:3] + 0.3 * np.random.default_rng(5).standard_normal((3, 24)))
    exact = queries @ vectors.T
    for q, found in enumerate(store.nearest(queries, 5, exclude=[frozenset({1000})] * 3)):
        expected = [1000 + i for i in np.argsort(-exact[q]) if i != 0][:5]
        assert [claim_id for claim_id, _ in found] == expected
        assert np.allclose([score for _, score in found], exact[q][np.array(expected) - 1000], atol=2e-3)
    [alone] = store.nearest(queries[:1], 3)  # one query is a matrix-vector product
    assert [claim_id for claim_id, _ in alone] == [claim_id for claim_id, _ in store.nearest(queries, 3)[0]]
    first, second = np.sort(exact[0])[::-1][:2]
    assert first - second > 0.01
    [[(best, score)]] = store.nearest(queries[:1], 3, min_cosine=(first + second) / 2)
    assert best == 1000 + int(np.argmax(exact[0])) and score == pytest.approx(float(first), abs=2e-3)
    assert store.cosines(queries[0], [1007, 5, 1299]) == pytest.approx([exact[0, 7], None, exact[0, 299]], abs=2e-3)
    assert store.cosine(1001, 1002) == pytest.approx(float(vectors[1] @ vectors[2]), abs=2e-3)
    assert store.cosine(1001, 5) is None
    store.add([(301, 1001, vectors[2])])  # a new vector for a claim keeps its row
    assert len(store) == 300 and store.cosine(1001, 1002) == pytest.approx(1.0, abs=2e-3)


def test_an_unknown_precision_is_refused():
    with pytest.raises(ValueError):
        VectorStore(24, precision="int8")


def test_vectors_read_from_bytes_are_taken_without_a_warning(vectors, recwarn):
    pytest.importorskip("torch")
    store = VectorStore(24, precision="bfloat16")
    read_only = np.frombuffer(vectors[0].tobytes(), dtype=np.float32)
    store.add([(1, 7, read_only)])
    assert store.cosine(7, 7) == pytest.approx(1.0, abs=2e-3)
    assert not [w for w in recwarn if "not writable" in str(w.message)]


def test_a_claim_twice_in_one_call_keeps_its_last_vector_and_one_row(vectors):
    store = VectorStore(24, block_rows=4)
    store.add([(1, 3, vectors[0]), (2, 9, vectors[1]), (3, 3, vectors[2]), (4, 5, vectors[3])])
    assert len(store) == 3 and store.loaded_upto == 4
    assert store.cosine(3, 9) == pytest.approx(float(vectors[2] @ vectors[1]), abs=1e-6)
    assert store.nearest(vectors[2:3], 3)[0][0][0] == 3


def test_rows_taken_in_chunks_and_ids_far_apart(vectors):
    many = unit(np.random.default_rng(6).standard_normal((5000, 24)))  # more than one chunk of add()
    store = VectorStore(24, block_rows=1000)
    store.add((n + 1, 7 * n + 1, vector) for n, vector in enumerate(many))
    store.add([(5001, 2_000_000, vectors[0])])
    assert len(store) == 5001 and store.loaded_upto == 5001
    assert store.nearest(many[4321:4322], 1)[0][0][0] == 7 * 4321 + 1
    assert store.nearest(vectors[:1], 1)[0][0][0] == 2_000_000
    assert store.cosines(vectors[0], [2_000_000, 2_000_001, 8]) == pytest.approx([1.0, None, many[1] @ vectors[0]], abs=1e-5)


def test_a_negative_claim_id_is_refused(vectors):
    with pytest.raises(ValueError):
        VectorStore(24).add([(1, -1, vectors[0])])


def test_a_claims_vector_of_the_highest_sequence_number_stays_whatever_order_pages_arrive_in(vectors):
    """Two threads of a worker may read overlapping pages: one read before a claim's new
    vector was stored must not put the old vector back once the new one is in."""
    store = VectorStore(24, block_rows=4)
    store.add_page([5, 6], [1, 2], vectors[[1, 2]], upto=6)
    store.add_page([3, 4], [1, 3], vectors[[0, 3]], upto=4)  # claim 1's older vector; claim 3 is new
    assert len(store) == 3 and store.loaded_upto == 6
    assert store.cosines(vectors[1], [1]) == pytest.approx([1.0], abs=1e-6)
    assert store.cosines(vectors[3], [3]) == pytest.approx([1.0], abs=1e-6)
    store.add_page([9, 8], [2, 2], vectors[[4, 5]], upto=9)  # one page, out of order
    assert store.cosines(vectors[4], [2]) == pytest.approx([1.0], abs=1e-6)
