"""What the load benchmarks share: a fresh database with the seed and LIAR claims, gunicorn
on a loopback port, and the load generator wrk."""
from __future__ import annotations

import csv
import http.client
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

PROJECT = Path(__file__).resolve().parents[1]
# LIAR_DIR: where the LIAR TSV files are, when not in ../shared/data/liar beside the project.
LIAR = Path(os.environ.get("LIAR_DIR") or PROJECT.parent / "shared" / "data" / "liar")
VENV_BIN = Path(sys.executable).parent
API = "/api/v1"


@dataclass
class Request:
    method: str
    path: str
    body: str | None = None
    headers: dict | None = None


# --- the data ---
def liar_rows() -> list[tuple[str, str, str]]:
    rows = []
    for split in ("train", "valid", "test"):
        with (LIAR / f"{split}.tsv").open(encoding="utf-8", newline="") as handle:
            for cells in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(cells) > 4 and cells[2].strip():
                    rows.append((cells[0].removesuffix(".json"), cells[2].strip(), cells[4].strip()))
    return rows


def claim_bodies(rows, n: int):
    """POST /claims bodies, validated by the API's schema: LIAR statements, then varied copies."""
    from scale_linking import vary

    from factcheck.schemas.claims import ClaimCreateSchema

    schema, rng = ClaimCreateSchema(), random.Random(1)
    for i in range(n):
        liar_id, text, speaker = rows[i % len(rows)]
        text = text if i < len(rows) else vary(text, rng)
        body = {"text": text[:5000], "appearances": [{
            "url": f"https://www.politifact.com/liar/{liar_id}/{i // len(rows)}",
            "quote": text[:10_000], "stance": "asserts"}]}
        if speaker:
            body["claimant"] = {"name": speaker.replace("-", " ").title()[:200]}
            body["appearances"][0]["claimant"] = body["claimant"]
        yield schema.load(body)


def database_url(base: str | None, workdir: Path) -> tuple[str, str | None]:
    if base is None:
        return f"sqlite:///{workdir / 'load.db'}", None
    schema = f"factcheck_load_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", schema


def drop_schema(base: str, schema: str | None) -> None:
    """Drop the throwaway schema database_url() made (nothing for SQLite)."""
    if not schema:
        return
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    engine.dispose()


def flask(env: dict, *args: str) -> str:
    done = subprocess.run([str(VENV_BIN / "flask"), "--app", "app", *args], cwd=PROJECT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def load_claims(url: str, n: int) -> tuple[int, float]:
    """N claims through import_claims, 300 contested ones; returns (highest claim id, claims/s)."""
    from factcheck import create_app
    from factcheck.extensions import db
    from factcheck.models import Claim
    from factcheck.services.exchange.bulk import import_claims
    from factcheck.services.verdicts.reviews import submit_verdict

    app, rows = create_app({"SQLALCHEMY_DATABASE_URI": url}), liar_rows()
    with app.app_context():
        start, first = time.perf_counter(), db.session.scalar(sa.select(sa.func.max(Claim.id))) or 0
        done = 0
        bodies = claim_bodies(rows, n)
        while done < n:
            chunk = [next(bodies) for _ in range(min(10_000, n - done))]
            import_claims(chunk, batch_size=500)
            done += len(chunk)
            print(f"  loaded {done:,} claims ({done / (time.perf_counter() - start):,.0f}/s)", flush=True)
        rate = n / (time.perf_counter() - start)
        db.session.remove()
        last = db.session.scalar(sa.select(sa.func.max(Claim.id)))
        for claim_id in random.Random(3).sample(range(first + 1, last + 1), min(300, n)):
            submit_verdict(claim_id, {"publisher": {"name": "Desk A", "site": "desk-a.example.org"},
                                      "rating": "True"})
            submit_verdict(claim_id, {"publisher": {"name": "Desk B", "site": "desk-b.example.org"},
                                      "rating": "False"})
        if db.engine.dialect.name == "postgresql":  # statistics and visibility map, as autovacuum would
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.session.remove()
        db.engine.dispose()
    return last, rate


def stored_claims(url: str) -> tuple[int, int]:
    """(highest claim id, claims) of a database an earlier run built."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        highest, count = conn.execute(sa.text("SELECT max(id), count(*) FROM claims")).one()
    engine.dispose()
    return highest, count


# --- the servers ---
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the project's gunicorn.conf.py, in its own process group."""

    def __init__(self, name: str, module: str, cwd: Path, env: dict, ready_path: str, log: Path,
                 settings: Path = PROJECT / "gunicorn.conf.py"):
        self.name, self.port, self.ready_path = name, free_port(), ready_path
        self.log = log
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", str(settings), module],
            cwd=cwd, env={**env, "BIND": f"127.0.0.1:{self.port}"}, start_new_session=True,
            stdout=log.open("w"), stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", self.ready_path)
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not start; its log:\n{self.log.read_text()[-3000:]}")

    def restarts(self) -> int:
        """Workers replaced so far after max_requests (each boots the app again, ~0.8 s of CPU)."""
        return self.log.read_text(errors="replace").count("Autorestarting worker")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the master stops its workers
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --- the load generator ---
def lua_string(text: str) -> str:
    level = "=" * 3
    while f"]{level}]" in text:
        level += "="
    return f"[{level}[{text}]{level}]"


def ensure_wrk() -> bool:
    if shutil.which("wrk"):
        return True
    print("wrk not found: installing it from Debian's packages (apt-get install -y wrk) ...", flush=True)
    for command in (["apt-get", "install", "-y", "-q", "wrk"], ["apt-get", "update", "-q"],
                    ["apt-get", "install", "-y", "-q", "wrk"]):
        if subprocess.run(command, capture_output=True, check=False).returncode == 0 and shutil.which("wrk"):
            return True
    print("  could not install wrk; using the Python load generator instead", flush=True)
    return False
