"""The semantic stage: sentence embeddings of claims, for matching by meaning.

Knows nothing of Flask or the database: `encoders` turns texts into unit vectors,
`vectors` ranks stored vectors against a query vector.
"""
from .encoders import MODELS, Encoder, SemanticUnavailable, load_encoder

__all__ = ["MODELS", "Encoder", "SemanticUnavailable", "load_encoder"]
