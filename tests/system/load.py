"""A stdlib HTTP load client that records every answer and every acknowledged write."""
import http.client
import json
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CLAIMS = "/api/v1/claims"
# Exact repeats of these are auto-linked (confirmed), so concurrent writers merge groups.
SHARED_TEXTS = (
    "Russian air defence systems were delivered to Syria within two weeks of the downing of the plane",
    "The Israeli air force warned the Russian command only one minute before the strike on Latakia",
    "Syrian missiles shot down the Russian reconnaissance plane while aiming at Israeli fighter jets",
)


@dataclass
class Reply:
    status: int
    body: dict
    headers: dict


class Client:
    """One token's HTTP client; a request that gets no answer returns None (not acknowledged)."""

    def __init__(self, base_url: str, token: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.auth = {"Authorization": f"Bearer {token}"}

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None,
                ) -> Reply | None:
        data = json.dumps(body).encode() if body is not None else None
        sent = {**self.auth, **(headers or {}), **({"Content-Type": "application/json"} if data else {})}
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):  # refused, reset, closed by a killed worker
            return None
        finally:
            connection.close()
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:
            parsed = {"raw": raw.decode(errors="replace")}
        return Reply(response.status, parsed, {k.lower(): v for k, v in response.getheaders()})


@dataclass
class Ledger:
    """What the server answered, and the writes it acknowledged (2xx), across threads."""

    statuses: Counter = field(default_factory=Counter)  # (kind, status or "no answer") -> count
    claims: dict = field(default_factory=dict)  # id -> text
    verdicts: dict = field(default_factory=dict)  # id -> (claim_id, rating)
    server_errors: list = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, kind: str, reply: Reply | None) -> Reply | None:
        with self._changed:
            self.statuses[kind, reply.status if reply else "no answer"] += 1
            if reply is not None and reply.status >= 500:
                self.server_errors.append((kind, reply.status, reply.body))
            self._changed.notify_all()
        return reply

    def acknowledge_claim(self, reply: Reply, text: str) -> int:
        with self._changed:
            claim_id = reply.body["id"]
            assert self.claims.setdefault(claim_id, text) == text, (claim_id, text)
            return claim_id

    def acknowledge_verdict(self, reply: Reply, claim_id: int, rating: str) -> None:
        with self._changed:
            self.verdicts[reply.body["id"]] = (claim_id, rating)

    def claim_ids(self) -> list[int]:
        with self._changed:
            return sorted(self.claims)

    def acknowledged(self) -> int:
        return len(self.claims) + len(self.verdicts)

    def wait_for_acknowledged(self, count: int, timeout: float = 30.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self.acknowledged() >= count, timeout):
                raise TimeoutError(f"only {self.acknowledged()} writes acknowledged; {dict(self.statuses)}")

    def count(self, kind: str, status) -> int:
        return self.statuses[kind, status]


def create_claim(client: Client, ledger: Ledger, text: str, key: str | None = None, kind: str = "claim",
                 ) -> Reply | None:
    headers = {"Idempotency-Key": key} if key else {}
    reply = ledger.record(kind, client.request("POST", CLAIMS, {"text": text}, headers))
    # 200: the claim stored with this text already (a repeated shared text).
    if reply is not None and reply.status in (200, 201):
        ledger.acknowledge_claim(reply, text)
    return reply


def submit_verdict(client: Client, ledger: Ledger, claim_id: int, rating: str) -> Reply | None:
    """A verdict signed by the desks' newsroom: each replaces the one before it on the claim."""
    reply = ledger.record("verdict", client.request("POST", f"{CLAIMS}/{claim_id}/verdicts", {"rating": rating}))
    if reply is not None and reply.status == 201:
        ledger.acknowledge_verdict(reply, claim_id, rating)
    return reply


def writer(client: Client, ledger: Ledger, desk: int, rounds: int, target_id: int) -> None:
    """A desk's work: claims (every third an exact repeat of a shared text, the rest its own
    wording), a verdict on each, and every other round one on the shared target claim too."""
    for n in range(rounds):
        if n % 3 == 0:
            text = SHARED_TEXTS[(desk + n) % len(SHARED_TEXTS)]
        else:
            text = f"{SHARED_TEXTS[n % 3]} according to desk {desk} report {uuid.uuid4().hex[:8]}"
        # Odd desks send an Idempotency-Key, as a careful client would.
        reply = create_claim(client, ledger, text, key=uuid.uuid4().hex if desk % 2 else None)
        rating = ("Mostly True", "False", "Half True")[(desk + n) % 3]
        if reply is not None and reply.status in (200, 201):
            submit_verdict(client, ledger, reply.body["id"], rating)
        if n % 2:
            submit_verdict(client, ledger, target_id, rating)


def decide_links(client: Client, ledger: Ledger, decisions: int) -> None:
    """A fact-checker confirming and rejecting the links of claims just written (groups merge
    and split under the writers' feet); a stale ETag (412) is a lost race, not an error."""
    for n in range(decisions):
        claim_ids = ledger.claim_ids()
        claim_id = claim_ids[-1 - n % len(claim_ids)]
        reply = ledger.record("links", client.request("GET", f"{CLAIMS}/{claim_id}/links"))
        if reply is None or reply.status != 200 or not reply.body["items"]:
            continue
        link = reply.body["items"][n % len(reply.body["items"])]
        status = "rejected" if link["status"] == "confirmed" else "confirmed"
        read = client.request("GET", f"/api/v1/links/{link['id']}")
        ledger.record("link decision", client.request(
            "PATCH", f"/api/v1/links/{link['id']}", {"status": status}, {"If-Match": read.headers["etag"]}))


class Background:
    """Callables running at once in threads; join() re-raises the first failure."""

    def __init__(self, jobs: list):
        self.failures: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, args=(job,), daemon=True) for job in jobs]
        for thread in self.threads:
            thread.start()

    def _run(self, job) -> None:
        try:
            job()
        except BaseException as error:  # noqa: BLE001  (re-raised by join)
            self.failures.append(error)

    def join(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(deadline - time.monotonic(), 0))
            assert not thread.is_alive(), "a load thread did not finish in time"
        if self.failures:
            raise self.failures[0]


def run_threads(jobs: list, timeout: float = 60.0) -> None:
    Background(jobs).join(timeout)


def writers(clients: list[Client], ledger: Ledger, rounds: int, target_id: int) -> Background:
    """Every desk writing at once, in the background."""
    return Background([lambda d=d: writer(clients[d], ledger, d, rounds, target_id) for d in range(len(clients))])
