"""Links as clients read them: plain dicts in the shape of schemas.links.LinkSchema, built from Core rows."""
from collections.abc import Iterable, Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from factcheck.models import Claim, ClaimLink

# A link's own columns and a claim's as a link shows it, in the order the renderers unpack them.
LINK_COLUMNS = (ClaimLink.id, ClaimLink.status, ClaimLink.score, ClaimLink.scorer, ClaimLink.decided_by,
                ClaimLink.decided_at, ClaimLink.created_at, ClaimLink.version)


def claim_columns(claim) -> tuple:
    """The columns linked_claim() shows of `claim` (Claim, or an alias of it)."""
    return claim.id, claim.text, claim.group_id, claim.status


_CLAIM, _OTHER = aliased(Claim, name="link_claim"), aliased(Claim, name="link_other")
_LINK_ROWS = (select(*LINK_COLUMNS, *claim_columns(_CLAIM), *claim_columns(_OTHER))
              .join(_CLAIM, _CLAIM.id == ClaimLink.claim_id).join(_OTHER, _OTHER.id == ClaimLink.other_id))
_SIDE = len(claim_columns(Claim))


def link_rows() -> Select:
    """The columns a link document shows; filter, order and limit it like select(ClaimLink)."""
    return _LINK_ROWS


def linked_claim(values: Sequence) -> dict:
    """One of a link's two claims, from the values of claim_columns()."""
    id_, text, group_id, status = values
    return {"id": id_, "text": text, "group_id": group_id, "status": status}


def link_document(values: Sequence, claim: dict, other: dict) -> dict:
    """A link, from the values of LINK_COLUMNS and its two claims (the lower id first)."""
    id_, status, score, scorer, decided_by, decided_at, created_at, version = values
    return {"id": id_, "claim": claim, "other": other, "score": score, "scorer": scorer, "status": status,
            "decided_by": decided_by, "decided_at": decided_at, "created_at": created_at, "version": version}


def document(row: Sequence) -> dict:
    """The document of a row of link_rows()."""
    own = len(LINK_COLUMNS)
    return link_document(row[:own], linked_claim(row[own:own + _SIDE]), linked_claim(row[own + _SIDE:]))


def documents_by_id(connection, link_ids: Iterable[int]) -> dict[int, dict]:
    """The documents of these links by id (a missing link is absent)."""
    rows = connection.execute(link_rows().where(ClaimLink.id.in_(set(link_ids))))
    return {row.id: document(row) for row in rows}
