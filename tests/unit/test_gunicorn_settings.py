"""gunicorn.conf.py's worker start: a factcheck worker warms up, collects its garbage once and
leaves what survives (the sentence model) out of later collections; another app served with
these settings (bench/load.py's bare Flask) is left alone."""
import gc
import importlib.util
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask

SETTINGS = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def gunicorn_settings():
    spec = importlib.util.spec_from_file_location("gunicorn_settings", SETTINGS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def worker(app: Flask) -> SimpleNamespace:
    return SimpleNamespace(wsgi=app, log=logging.getLogger("gunicorn.error"))


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_factcheck_worker_warms_up_then_freezes_what_it_loaded(app, unfrozen, monkeypatch):
    settings, done = gunicorn_settings(), []
    monkeypatch.setattr("factcheck.services.links.embeddings.warm_up", lambda: done.append("warmed up"))
    monkeypatch.setattr(settings, "_link_pending", lambda _worker: done.append("linker woken"))
    settings.post_worker_init(worker(app))
    assert done == ["warmed up", "linker woken"]
    assert gc.get_freeze_count() > 0


def test_another_app_is_left_alone(unfrozen):
    gunicorn_settings().post_worker_init(worker(Flask("bare")))
    assert gc.get_freeze_count() == 0
