"""Bulk import of claims with their appearances and verdicts, one transaction per batch
(services.exchange.export writes them out again)."""
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from factcheck.models import Appearance, Claim, Verdict
from factcheck.models.claims import text_key
from factcheck.services.accounts import audit
from factcheck.services.accounts.actors import SYSTEM, Actor
from factcheck.services.claims.appearances import appearance_key, appearance_values
from factcheck.services.claims.records import claim_values
from factcheck.services.claims.sources import prefetch_articles, prefetch_claimants, publisher_for
from factcheck.services.claims.texts import lock_texts, unstored
from factcheck.services.exchange.batches import each_with_next
from factcheck.services.exchange.bulk_verdicts import (
    NewVerdict,
    Record,
    permitted,
    stored_verdict,
    verdict_key,
    verdict_values,
)
from factcheck.services.links.decisions import link_and_index
from factcheck.services.links.embeddings import EncodingAhead
from factcheck.services.links.groups import refresh_groups
from factcheck.services.links.linker import hold_linker
from factcheck.services.links.match_index import terms_of
from factcheck.services.verdicts.publishers import Newsrooms, newsrooms
from factcheck.services.verdicts.summary import summarise
from factcheck.services.webhooks.outbox import enqueue_events
from factcheck.storage.rows import insert_all, new_ids
from factcheck.storage.uow import reading, transaction


@dataclass
class BulkSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links: int = 0
    verdicts: int = 0
    rejected: list[tuple[int, object]] = field(default_factory=list)  # (line number, reason)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


def _appearance_values(session: Session, data: dict) -> dict:
    values = appearance_values(session, data)
    article, claimant = values.pop("article"), values.pop("claimant")
    return values | {"article_id": article.id, "claimant_id": claimant.id if claimant else None}


class _Batch:
    """A batch's claims by text, and what each already holds, so re-imports add nothing twice.

    New claims, appearances and verdicts are rows inserted a statement per table, not ORM
    objects flushed one by one: the unit of work cost more than everything else together.
    """

    def __init__(self, session: Session, records: list[Record], actor: Actor, rooms: Newsrooms):
        self.session = session
        self.actor = actor
        self.rooms = rooms
        self.created: list[Claim] = []
        texts = {data["text"].strip() for _, data, _ in records}
        lock_texts(session, texts)
        existing = session.scalars(
            select(Claim).where(Claim.text_key.in_({text_key(t) for t in texts}), Claim.removed_at.is_(None))
            .order_by(Claim.id)
            .options(selectinload(Claim.appearances), selectinload(Claim.verdicts))
        ).all()
        self.claims: dict[str, Claim] = {}
        for claim in existing:
            if claim.text in texts:  # not merely a digest collision
                self.claims.setdefault(claim.text, claim)
        # Statuses before this batch, for "became contested" webhook events.
        self.before = {claim.id: claim.status for claim in self.claims.values()}
        self.sources = {text: {(a.article.url, a.claimant.name_key if a.claimant else "") for a in c.appearances}
                        for text, c in self.claims.items()}
        self.rated = {text: {verdict_key(v.publisher.site, v.rating, v.url) for v in c.verdicts}
                      for text, c in self.claims.items()}
        # (text, publisher id) -> the verdict that counts now; a newer one supersedes it.
        self.current: dict[tuple[str, int], Verdict | NewVerdict] = {
            (text, v.publisher_id): v for text, c in self.claims.items() for v in c.verdicts
            if v.status == "published" and v.superseded_by_id is None}
        self.superseded: list[tuple[Verdict | NewVerdict, NewVerdict]] = []
        self.changed: set[str] = set()
        self.verdicts: list[Verdict] = []  # stored by this batch, in order
        # Rows not inserted yet (see store).
        self._appearances: list[dict] = []
        self._verdicts: list[NewVerdict] = []

    def create(self, records: list[Record]) -> int:
        """New claims with their evidence, summarised before the insert, then linked; returns
        the number of links stored."""
        if not records:
            return 0
        session = self.session
        prefetch_claimants(session, [d["claimant"]["name"] for _, d, _ in records if d.get("claimant")])
        prefetch_articles(session, [a for _, d, _ in records for a in d.get("appearances", ())])
        rows, evidence = [], []
        for _, data, verdicts in records:
            values = claim_values(session, data)
            claimant, text = values.pop("claimant"), values["text"]
            self.sources[text], self.rated[text] = set(), set()
            appearances = [_appearance_values(session, a) for a in self._unseen(text, data)]
            new = self._new_verdicts(text, verdicts)
            summary = summarise([v.evidence() for v in new], [SimpleNamespace(**a) for a in appearances])
            rows.append(values | {"claimant_id": claimant.id if claimant else None} | vars(summary))
            evidence.append((appearances, new))
        # Inserted as linking would leave them before it looks: each claim a group of its own,
        # its index length known (see link_and_index, SqlClaimIndex.add).
        ids = new_ids(session, Claim, len(rows))
        for row, claim_id in zip(rows, ids):
            row |= {"id": claim_id, "group_id": claim_id, "n_terms": len(terms_of(row["text"]))}
        claims = insert_all(session, Claim, rows)
        for claim, (appearances, new) in zip(claims, evidence):
            self.claims[claim.text] = claim
            self._appearances.extend(a | {"claim_id": claim.id} for a in appearances)
            self._add_verdicts(claim, new)
        self.created = claims
        # Linking summarises the groups it joins from what is stored: store the evidence first.
        self.store()
        linked = link_and_index(session, claims)
        refresh_groups(session, linked.groups)
        return linked.links

    def add(self, claim: Claim, data: dict, verdicts: list[dict]) -> bool:
        """Add the appearances and verdicts the claim lacks; True when there were any."""
        unseen = self._unseen(claim.text, data)
        self._appearances.extend(_appearance_values(self.session, a) | {"claim_id": claim.id} for a in unseen)
        new = self._new_verdicts(claim.text, verdicts)
        self._add_verdicts(claim, new)
        if unseen or new:
            self.changed.add(claim.text)
        return bool(unseen or new)

    def _unseen(self, text: str, data: dict) -> list[dict]:
        """The record's appearances that its claim lacks (see appearance_key), noted as had now."""
        unseen = []
        for appearance in data.get("appearances", ()):
            if (key := appearance_key(appearance)) not in self.sources[text]:
                self.sources[text].add(key)
                unseen.append(appearance)
        return unseen

    def store(self) -> None:
        """Insert the appearances and verdicts added since the last call, a statement each."""
        if self._appearances:
            self.session.execute(insert(Appearance), self._appearances)
        if self._verdicts:
            stored = insert_all(self.session, Verdict, [v.values for v in self._verdicts])
            for new, verdict in zip(self._verdicts, stored):
                new.stored = verdict
            self.verdicts.extend(stored)
        self._appearances, self._verdicts = [], []

    def supersede(self) -> None:
        """Point each replaced verdict at its publisher's newer one (after store)."""
        for earlier, later in self.superseded:
            stored_verdict(earlier).superseded_by_id = stored_verdict(later).id

    def _add_verdicts(self, claim: Claim, new: list[NewVerdict]) -> None:
        for verdict in new:
            verdict.values["claim_id"] = claim.id
        self._verdicts.extend(new)

    def _new_verdicts(self, text: str, verdicts: list[dict]) -> list[NewVerdict]:
        """The verdicts the claim lacks; each supersedes its publisher's current one."""
        new = []
        for data in verdicts:
            publisher = publisher_for(self.session, data["publisher"])
            key = verdict_key(publisher.site, data["rating"], data.get("url"))
            if key in self.rated[text]:
                continue
            self.rated[text].add(key)
            verdict = NewVerdict(verdict_values(publisher, data, self.rooms.owner_of(publisher.site), self.actor))
            if (earlier := self.current.get((text, publisher.id))) is not None:
                self.superseded.append((earlier, verdict))
            self.current[(text, publisher.id)] = verdict
            new.append(verdict)
        return new


def import_batch(records: list[Record], summary: BulkSummary, actor: Actor = SYSTEM) -> None:
    """One transaction: claims created or completed, linked, verdicts added, summaries refreshed."""
    with transaction() as session:
        # The batch links its own new claims, as the linker would (as one batch of it).
        hold_linker(session)
        rooms = newsrooms(session)
        records = permitted(records, rooms, actor, summary.rejected)
        batch = _Batch(session, records, actor, rooms)
        fresh: dict[str, Record] = {}
        for record in records:
            text = record[1]["text"].strip()
            if text not in batch.claims and text not in fresh:
                fresh[text] = record
        links = batch.create(list(fresh.values()))
        for record in records:
            _, data, verdicts = record
            text = data["text"].strip()
            if fresh.get(text) is record:
                summary.created += 1
            elif batch.add(batch.claims[text], data, verdicts):
                summary.updated += 1
            else:
                summary.unchanged += 1
        batch.store()
        batch.supersede()
        # Once per batch: every group that gained a verdict or an appearance after its insert.
        refresh_groups(session, {batch.claims[text].group_id for text in batch.changed})
        enqueue_events(session, batch.verdicts, before=batch.before)
        audit.record_many(session, actor, "claim.imported", batch.created)
        audit.record_many(session, actor, "verdict.imported", batch.verdicts)
        summary.links += links
        summary.verdicts += len(batch.verdicts)


def import_records(records: Iterable[Record], batch_size: int = 500, actor: Actor = SYSTEM) -> BulkSummary:
    """Import in batches of `batch_size`, a transaction each. With the semantic stage on, the
    next batch's new texts are encoded while a batch is imported (EncodingAhead)."""
    summary = BulkSummary()
    with EncodingAhead(batch_size) as ahead:
        for number, (batch, following) in enumerate(each_with_next(records, batch_size)):
            if ahead.enabled:
                if number == 0:
                    ahead.start(_new_texts(batch))
                ahead.start(_new_texts(following or []))  # once this batch's texts are encoded
            import_batch(batch, summary, actor)
    return summary


def _new_texts(records: list[Record]) -> list[str]:
    """The texts of these records that no stored claim holds: those their batch will create."""
    with reading() as connection:
        return unstored(connection, [data["text"].strip() for _, data, _ in records])


def import_claims(items: Iterable[dict], batch_size: int = 500, actor: Actor = SYSTEM) -> BulkSummary:
    """Claims in the shape POST /api/v1/claims takes (a "verdicts" list allowed), already valid."""
    records = ((number, {k: v for k, v in item.items() if k != "verdicts"}, item.get("verdicts", []))
               for number, item in enumerate(items, start=1))
    return import_records(records, batch_size, actor)
