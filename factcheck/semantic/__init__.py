"""The semantic stage: sentence embeddings of claims for matching by meaning (no Flask, no database)."""
from .encoders import MODELS, Encoder, SemanticUnavailable, load_encoder

__all__ = ["MODELS", "Encoder", "SemanticUnavailable", "load_encoder"]
