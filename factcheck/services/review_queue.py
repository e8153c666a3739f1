"""The review queue: links across all claims, with both wordings and what their score is made of."""
from collections import defaultdict
from functools import cache
from typing import NamedTuple

from sqlalchemy import Row, and_, bindparam, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from factcheck.errors import DomainError, NotFound, PreconditionFailed
from factcheck.matching.explain import held_back, score_parts
from factcheck.models import Appearance, Article, Claim, Claimant, ClaimLink, Outlet
from factcheck.pagination import Page, decode_cursor, page_of
from factcheck.services import links
from factcheck.services.actors import Actor
from factcheck.services.driver_select import DriverSelect, one_of
from factcheck.services.embeddings import current_vectors
from factcheck.services.uow import read_connection, read_only

ORDERS = ("score", "newest")
_A, _B = aliased(Claim, name="a"), aliased(Claim, name="b")
_A_CLAIMANT, _B_CLAIMANT = aliased(Claimant, name="a_claimant"), aliased(Claimant, name="b_claimant")


def _side(claim, claimant) -> list:
    return [claim.id, claim.text, claim.link_text, claim.group_id, claim.status,
            claimant.id.label(None), claimant.name.label(None)]


_QUEUE = (
    select(ClaimLink.id, ClaimLink.status, ClaimLink.score, ClaimLink.scorer, ClaimLink.decided_by,
           ClaimLink.decided_at, ClaimLink.created_at, ClaimLink.version,
           *_side(_A, _A_CLAIMANT), *_side(_B, _B_CLAIMANT))
    .join(_A, _A.id == ClaimLink.claim_id).join(_B, _B.id == ClaimLink.other_id)
    .outerjoin(_A_CLAIMANT, _A_CLAIMANT.id == _A.claimant_id)
    .outerjoin(_B_CLAIMANT, _B_CLAIMANT.id == _B.claimant_id)
    .where(ClaimLink.status == bindparam("status"))
)
# Both orders walk an index of (status, ...) from its end (ix_claim_links_queue_*).
_BY_SCORE = _QUEUE.order_by(ClaimLink.score.desc(), ClaimLink.id.desc())
_BY_NEWEST = _QUEUE.order_by(ClaimLink.id.desc())
_ORDERED = {
    ("score", False): _BY_SCORE,
    ("score", True): _BY_SCORE.where(or_(
        ClaimLink.score < bindparam("score"),
        and_(ClaimLink.score == bindparam("score"), ClaimLink.id < bindparam("last_id")))),
    ("newest", False): _BY_NEWEST,
    ("newest", True): _BY_NEWEST.where(ClaimLink.id < bindparam("last_id")),
}
_KEYS = {"score": ((float, int), lambda row: [row[2], row[0]]), "newest": ((int,), lambda row: [row[0]])}

_OUTLETS = DriverSelect(
    select(Appearance.claim_id, Outlet.name, Outlet.domain).distinct()
    .join(Article, Article.id == Appearance.article_id).join(Outlet, Outlet.id == Article.outlet_id)
    .where(one_of(Appearance.claim_id, "ids"))
)


@cache  # at most 4 x (MAX_PAGE_SIZE + 1)
def _page(order: str, after: bool, rows: int) -> DriverSelect:
    """A page's statement, built once and run on the driver's cursor as the claim lists are
    (services.driver_select), its LIMIT written in: PostgreSQL's generic plan
    (database._generic_plans) takes a bound LIMIT for a tenth of the queue, and for that
    planned a parallel scan whose workers took longer to start than the page took to read."""
    return DriverSelect(_ORDERED[order, after].limit(literal_column(str(int(rows)))))


_WAITING = DriverSelect(select(func.count()).select_from(
    select(ClaimLink.id).where(ClaimLink.status == bindparam("status")).limit(bindparam("limit")).subquery()))


@read_only
def list_links(args: dict) -> Page[dict]:
    """Links of one status: best score first (then newest), or newest first. The cursor is
    the last (score, id) or (id) shown; two statements a page, whatever it holds."""
    limit, order = args["limit"], args.get("order", "score")
    shape, key = _KEYS[order]
    params = {"status": args.get("status", "suggested")}
    if cursor := args.get("cursor"):
        params.update(zip(("score", "last_id") if order == "score" else ("last_id",), decode_cursor(cursor, shape)))
    page = page_of(_page(order, bool(cursor), limit + 1).rows(read_connection(), **params), limit, key)
    return Page(_items(page.items), page.next_cursor)


@read_only
def count(status: str = "suggested", at_most: int = 1000) -> int:
    """How many links have this status, counted up to `at_most` + 1 (the inbox says "1,000+"):
    a queue of 300,000 would take the index's whole length to count on every page."""
    return _WAITING.rows(read_connection(), status=status, limit=at_most + 1)[0][0]


def _items(rows: list[Row]) -> list[dict]:
    if not rows:
        return []
    ids = list({claim_id for row in rows for claim_id in (row[8], row[15])})
    outlets: dict[int, list[dict]] = defaultdict(list)
    for claim_id, name, domain in _OUTLETS.rows(read_connection(), ids=ids):
        outlets[claim_id].append({"name": name, "domain": domain})
    thresholds = {scorer: links.thresholds_of(scorer) for scorer in {row[3] for row in rows}}
    vectors = current_vectors()
    items = []
    for row in rows:
        (id_, status, score, scorer, decided_by, decided_at, created_at, version) = row[:8]
        a, b = row[8:15], row[15:22]
        cosine = vectors.cosine(a[0], b[0]) if vectors is not None else None
        items.append({
            "id": id_, "status": status, "score": score, "scorer": scorer,
            "parts": score_parts(a[2], b[2]) | {"cosine": None if cosine is None else round(cosine, 4)},
            "held_back": held_back(a[2], b[2], score, thresholds[scorer]),
            "claim": _claim(a, outlets), "other": _claim(b, outlets),
            "decided_by": decided_by, "decided_at": decided_at, "created_at": created_at, "version": version,
        })
    return items


def _claim(side: tuple, outlets: dict[int, list[dict]]) -> dict:
    id_, text, _, group_id, status, claimant_id, claimant_name = side
    claimant = None if claimant_id is None else {"id": claimant_id, "name": claimant_name}
    return {"id": id_, "text": text, "group_id": group_id, "status": status, "claimant": claimant,
            "outlets": sorted(outlets.get(id_, []), key=lambda outlet: outlet["domain"])}


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
            answers.append({**_answer(decision, "decided", None), "link": link})
    return answers


def _answer(decision: Decision, outcome: str, detail: str | None) -> dict:
    return {"id": decision.id, "outcome": outcome, "status": OUTCOMES[outcome], "detail": detail, "link": None}
