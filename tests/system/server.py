"""Real gunicorn on loopback for system tests: start, wait until ready, kill, stop."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
WORKERS = 3
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def until(condition, timeout: float, what: str):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f} s")


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py app:app` with its own session (so the master and its
    workers can be killed at once), its output appended to `log_path`."""

    def __init__(self, database_url: str, log_path: Path, workers: int = WORKERS, settings: dict | None = None):
        self.database_url, self.log_path, self.workers = database_url, log_path, workers
        self.settings = settings or {}
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Gunicorn":
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": self.database_url, "WEB_CONCURRENCY": str(self.workers),
               "BIND": f"127.0.0.1:{self.port}", "RATE_LIMIT_PER_MINUTE": "1000000",
               "GUNICORN_ACCESS_LOG": "-", "FACTCHECK_INSTANCE_DIR": str(self.log_path.parent),
               "SEMANTIC_MODEL": "off", **self.settings}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket", "app:app"],
                cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        until(self._ready, START_TIMEOUT, f"gunicorn on port {self.port} (log: {self.log_path})")
        return self

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
        if len(self.worker_pids()) < self.workers:
            return False
        try:
            with urllib.request.urlopen(f"{self.base_url}/api/v1/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def worker_pids(self) -> set[int]:
        """The master's children, read from /proc (no ps needed)."""
        pids: set[int] = set()
        for children in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            try:
                pids.update(int(pid) for pid in children.read_text().split())
            except OSError:  # the task ended while we looked
                pass
        return pids

    def busy_workers(self) -> set[int]:
        """Workers holding an accepted connection (a request in hand): their sockets that
        /proc/net/tcp lists as established on our port."""
        established = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == self.port and fields[3] == "01":
                established.add(f"socket:[{fields[9]}]")
        busy = set()
        for pid in self.worker_pids():
            try:
                if any(os.readlink(fd) in established for fd in Path(f"/proc/{pid}/fd").iterdir()):
                    busy.add(pid)
            except OSError:  # the worker or one of its descriptors went away while we looked
                pass
        return busy

    def kill_worker(self) -> int:
        """kill -9 a worker in the middle of a request and wait until the master has
        replaced it; returns its pid."""
        victim = min(until(self.busy_workers, START_TIMEOUT, "a worker with a request in hand"))
        os.kill(victim, signal.SIGKILL)
        until(lambda: victim not in (pids := self.worker_pids()) and len(pids) == self.workers,
               START_TIMEOUT, f"a worker to replace pid {victim}")
        return victim

    def kill_workers(self) -> set[int]:
        """kill -9 every worker at once and wait until the master has replaced them all."""
        victims = self.worker_pids()
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        until(lambda: not victims & (pids := self.worker_pids()) and len(pids) == self.workers,
               START_TIMEOUT, "the workers to be replaced")
        return victims

    def kill(self) -> None:
        """kill -9 the master and every worker at once, as a power cut would."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(STOP_TIMEOUT)

    def stop(self) -> None:
        """SIGTERM (graceful), then SIGKILL the whole group if it lingers."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        try:  # workers orphaned by a killed master, or a master that ignored SIGTERM
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(STOP_TIMEOUT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
