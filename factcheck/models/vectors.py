"""Claims' sentence vectors, one per claim and model, for matching by meaning."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from factcheck.extensions import db


class ClaimVector(db.Model):
    """A claim's unit vector (float32 bytes) under one model.

    `id` grows in the order vectors are stored (only the linker writes them, one at a time),
    so a worker keeping vectors in memory reads only the rows above the last it took; a new
    vector for a claim is a new row.
    """

    __tablename__ = "claim_vectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(String(100))
    vector: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (
        UniqueConstraint("claim_id", "model", name="uq_claim_vectors_claim_model"),
        Index("ix_claim_vectors_model_id", "model", "id"),
    )
