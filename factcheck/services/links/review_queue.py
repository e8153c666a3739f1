"""The review queue: links across all claims, with both wordings and what their score is made of."""
from collections import defaultdict
from typing import NamedTuple

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import aliased

from factcheck.errors import DomainError, NotFound, PreconditionFailed
from factcheck.matching.explain import held_back, score_parts
from factcheck.models import Appearance, Article, Claim, Claimant, ClaimLink, Outlet
from factcheck.services.accounts.actors import Actor
from factcheck.services.links import decisions as links
from factcheck.services.links.documents import LINK_COLUMNS, claim_columns, link_document, linked_claim
from factcheck.services.links.embeddings import current_vectors
from factcheck.storage.id_lists import one_of
from factcheck.storage.pages import Page
from factcheck.storage.paging import Key, keyset_page
from factcheck.storage.uow import read_connection, read_only

ORDERS = ("score", "newest")
_A, _B = aliased(Claim, name="a"), aliased(Claim, name="b")
_A_CLAIMANT, _B_CLAIMANT = aliased(Claimant, name="a_claimant"), aliased(Claimant, name="b_claimant")


def _side(claim, claimant) -> list:
    """A claim as the queue shows it: as a link does, and its link_text and claimant."""
    return [*claim_columns(claim), claim.link_text, claimant.id.label(None), claimant.name.label(None)]


# A queue item is a link document with more of each claim, and what the score is made of.
_QUEUE = (
    select(*LINK_COLUMNS, *_side(_A, _A_CLAIMANT), *_side(_B, _B_CLAIMANT))
    .join(_A, _A.id == ClaimLink.claim_id).join(_B, _B.id == ClaimLink.other_id)
    .outerjoin(_A_CLAIMANT, _A_CLAIMANT.id == _A.claimant_id)
    .outerjoin(_B_CLAIMANT, _B_CLAIMANT.id == _B.claimant_id)
    .where(ClaimLink.status == bindparam("status"))
)
# Both orders walk an index of (status, ...) from its end (ix_claim_links_queue_*).
_KEYS = {"score": (Key(ClaimLink.score, float), Key(ClaimLink.id, int)), "newest": (Key(ClaimLink.id, int),)}

_OUTLETS = (
    select(Appearance.claim_id, Outlet.name, Outlet.domain).distinct()
    .join(Article, Article.id == Appearance.article_id).join(Outlet, Outlet.id == Article.outlet_id)
    .where(one_of(Appearance.claim_id, "ids"))
)

_WAITING = select(func.count()).select_from(
    select(ClaimLink.id).where(ClaimLink.status == bindparam("status")).limit(bindparam("limit")).subquery())


@read_only
def list_links(args: dict) -> Page[dict]:
    """Links of one status: best score first (then newest), or newest first. The cursor is
    the last (score, id) or (id) shown; two statements a page, whatever it holds."""
    status = {"status": args.get("status", "suggested")}
    page = keyset_page(_QUEUE, _KEYS[args.get("order", "score")], args,
                       lambda statement: read_connection().execute(statement, status).all())
    return Page(_items(page.items), page.next_cursor)


@read_only
def count(status: str = "suggested", at_most: int = 1000) -> int:
    """How many links have this status, counted up to `at_most` + 1 (the inbox says "1,000+"):
    a queue of 300,000 would take the index's whole length to count on every page."""
    return read_connection().execute(_WAITING, {"status": status, "limit": at_most + 1}).scalar_one()


def _items(rows: list[Row]) -> list[dict]:
    if not rows:
        return []
    own, side = len(LINK_COLUMNS), len(_side(_A, _A_CLAIMANT))
    ids = list({claim_id for row in rows for claim_id in (row[own], row[own + side])})
    outlets: dict[int, list[dict]] = defaultdict(list)
    for claim_id, name, domain in read_connection().execute(_OUTLETS, {"ids": ids}):
        outlets[claim_id].append({"name": name, "domain": domain})
    thresholds = {scorer: links.thresholds_of(scorer) for scorer in {row.scorer for row in rows}}
    vectors = current_vectors()
    items = []
    for row in rows:
        a, b = row[own:own + side], row[own + side:]
        (a_text, a_claimant), (b_text, b_claimant) = _more(a), _more(b)
        cosine = vectors.cosine(a[0], b[0]) if vectors is not None else None
        item = link_document(row[:own], _claim(a, a_claimant, outlets), _claim(b, b_claimant, outlets))
        item["parts"] = score_parts(a_text, b_text) | {"cosine": None if cosine is None else round(cosine, 4)}
        item["held_back"] = held_back(a_text, b_text, row.score, thresholds[row.scorer])
        items.append(item)
    return items


def _more(side: tuple) -> tuple[str, dict | None]:
    """What the queue shows of a claim beyond what a link does: its link_text and claimant."""
    link_text, claimant_id, claimant_name = side[-3:]
    return link_text, None if claimant_id is None else {"id": claimant_id, "name": claimant_name}


def _claim(side: tuple, claimant: dict | None, outlets: dict[int, list[dict]]) -> dict:
    shown = linked_claim(side[:-3])
    return {**shown, "claimant": claimant,
            "outlets": sorted(outlets.get(shown["id"], []), key=lambda outlet: outlet["domain"])}


class Decision(NamedTuple):
    id: int
    status: str
    version: int


# The outcome of one decision of a batch, as the answer names it, by the error it met.
OUTCOMES = {"decided": 200, "stale": 412, "not_found": 404, "conflict": 409}


def decide_many(decisions: list[Decision], actor: Actor) -> list[dict]:
    """Decide each link at the version it was read, one transaction (and audit entry) each,
    as PATCH /links/{id} does: one stale or missing link leaves the others decided."""
    answers = []
    for decision in decisions:
        try:
            link = links.decide_link(decision.id, decision.status, actor, decision.version)
        except NotFound as error:
            answers.append(_answer(decision, "not_found", error.detail))
        except PreconditionFailed as error:
            answers.append(_answer(decision, "stale", error.detail))
        except DomainError as error:  # the groups kept changing (Conflict): retry later
            answers.append(_answer(decision, "conflict", error.detail))
        else:
            answers.append({**_answer(decision, "decided", None), "link": links.get_link(link.id)})
    return answers


def _answer(decision: Decision, outcome: str, detail: str | None) -> dict:
    return {"id": decision.id, "outcome": outcome, "status": OUTCOMES[outcome], "detail": detail, "link": None}
