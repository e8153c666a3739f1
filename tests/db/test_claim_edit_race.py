"""Two corrections of a claim sent with one ETag: the one that waited for the other gets 412."""
import threading

import flask_migrate
import sqlalchemy as sa

from factcheck.errors import PreconditionFailed
from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services.accounts.actors import SYSTEM
from factcheck.services.claims import edits as claim_edits
from factcheck.services.claims import records as claims
from factcheck.storage.engine import WRITE_OPTION
from tests.lock_waits import GIVE_UP_S, LockWaits, backend_pid


def test_a_correction_that_waited_for_another_is_refused(empty_app, monkeypatch):
    """On PostgreSQL the correction waits for the claim's row; on SQLite for the database's
    write lock: either way it must see the other's version, not the one it was sent with."""
    with empty_app.app_context():
        lock_waits = LockWaits(db.engine, monkeypatch)
        flask_migrate.upgrade()
        claim_id = claims.create_claim({"text": "The bridge cost ten milion dollars."})
        db.session.remove()
        outcome = {}

        def correct():
            with empty_app.app_context():
                try:
                    claim_edits.edit_claim(claim_id, {"text": "The bridge cost ten million euros."}, SYSTEM, 1)
                except Exception as error:  # noqa: BLE001  (asserted below)
                    outcome["error"] = error
                finally:
                    db.session.remove()

        # Another writer holds the claim's row, mid-way through its own correction at version 1.
        with db.engine.connect().execution_options(**{WRITE_OPTION: True}) as other:
            other.begin()
            other.execute(sa.update(Claim).where(Claim.id == claim_id).values(
                text="The bridge cost ten million dollars.", version=2))
            writer = threading.Thread(target=correct)
            writer.start()
            lock_waits.until_blocked_by(backend_pid(other))
            other.commit()
        writer.join(GIVE_UP_S)

        assert isinstance(outcome.get("error"), PreconditionFailed), outcome
        stored = db.session.get(Claim, claim_id)
        assert (stored.text, stored.version) == ("The bridge cost ten million dollars.", 2)
