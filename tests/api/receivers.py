"""Webhook receivers on loopback, and helpers to register webhooks and run the delivery worker."""
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import select, update

from factcheck.extensions import db
from factcheck.models import WebhookDelivery
from factcheck.models.types import utcnow

WEBHOOKS = "/api/v1/webhooks"


class Receiver:
    """A real HTTP server on loopback that records each POST and answers `status` (with
    `headers`, a redirect's Location say)."""

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 200
        self.headers: dict[str, str] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/factcheck"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def register(client, admin, url: str, **fields) -> dict:
    response = client.post(WEBHOOKS, json={"url": url, **fields}, headers=admin)
    assert response.status_code == 201, response.json
    return response.json


def deliver(app) -> str:
    result = app.test_cli_runner().invoke(args=["deliver-webhooks", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def make_due() -> None:
    """As if the backoff had elapsed: every pending delivery is due now."""
    with db.engine.begin() as connection:
        connection.execute(update(WebhookDelivery).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
