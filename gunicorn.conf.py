"""gunicorn settings for factcheck (`gunicorn -c gunicorn.conf.py app:app`)."""
import gc
import json
import multiprocessing
import os

from gunicorn import util

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Each worker imports the app itself, so no database connection (or SQLite handle) is
# opened in the master and shared across fork.
preload_app = False
# A worker is replaced after this many requests (0: never), bounding what a slow leak could
# grow to. Each replacement boots the app again (~0.8 s of CPU) with empty caches.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")
errorlog = "-"
# gunicorn refuses, before the app sees them: a request line over limit_request_line bytes
# (414; a long query string), more than limit_request_fields headers or one over
# limit_request_field_size bytes (431), a malformed request (400). gunicorn's defaults.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190


def _problem(sock, status_int, reason, mesg):
    """gunicorn's own refusals, answered as the app answers errors: RFC 9457 problem+json
    (gunicorn writes HTML)."""
    body = json.dumps({"type": "about:blank", "title": reason, "status": status_int,
                       "detail": mesg or "The server could not read the request."}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            "Content-Type: application/problem+json\r\nX-Content-Type-Options: nosniff\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = _problem  # what gunicorn's workers call for every error they answer


def post_worker_init(worker):
    """Load the sentence model and the claims' vectors, link the claims a dead worker left
    pending (services.links.linker); nothing for another app served with these settings
    (bench/load.py's bare Flask ceiling)."""
    if getattr(worker.wsgi, "name", None) != "factcheck":
        return
    _warm_up(worker)
    _link_pending(worker)


def _warm_up(worker):
    """The first request would otherwise wait for the model (~6 s) and every vector.

    Then one full garbage collection, and what survives it (the model's ~600,000 objects)
    left out of later ones: otherwise the first full collection, ~300 ms, fell in one of each
    worker's first requests (`POST /claims/match` p99 450 ms; 96 ms with the collection made
    here; bench/load.py)."""
    from factcheck.services.links.embeddings import warm_up

    try:
        with worker.wsgi.app_context():
            warm_up()
    except Exception:  # the stage loads on first use instead
        worker.log.exception("Loading the semantic stage at start-up failed")
    gc.collect()
    gc.freeze()


def _link_pending(worker):
    """In the worker's background linker: the worker serves meanwhile."""
    from factcheck.services.links.linker import background

    background(worker.wsgi).wake()

