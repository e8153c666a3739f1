"""gunicorn settings for factcheck (`gunicorn -c gunicorn.conf.py app:app`)."""
import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Each worker imports the app itself, so no database connection (or SQLite handle) is
# opened in the master and shared across fork.
preload_app = False
max_requests = 10_000
max_requests_jitter = 1_000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")
errorlog = "-"
