"""A console's store for the browser tests and the benchmark: the seed story, two newsrooms,
and rewordings of seed claims that the matcher suggests (70-90) for a person to decide."""
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services.accounts import organisations, tokens
from factcheck.services.accounts.actors import SYSTEM
from factcheck.services.claims import records as claims

# Each rewording and the seed claim it is suggested against (scores 80-85).
S300 = "Russia says it will provide Syria with S-300 missile systems."  # seed: "Mostly True"
CREW = "15 crew members died when the Russian plane was shot down over Syria."  # seed: "True"
NOTIFIED = "Israel informed Russia of the Latakia airstrike in advance."
REWORDINGS = (S300, CREW, NOTIFIED)
SHIELD = "An Israeli pilot used the Russian reconnaissance plane as a shield"
DESK_A, DESK_B = ("Desk A", "desk-a.example.org"), ("Desk B", "desk-b.example.org")


@dataclass(frozen=True)
class Store:
    desk_a: str  # a factchecker's token secret of each newsroom
    desk_b: str
    reader_a: str


def build(app: Flask) -> Store:
    """Seed the migrated database of `app` as `flask seed` does, then add the rest."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed"])
        assert result.exit_code == 0, (result.output, result.exception)
        for name, site in (DESK_A, DESK_B):
            organisations.create_organisation({"name": name, "site": site}, SYSTEM)
        for n, text in enumerate(REWORDINGS):
            claims.create_claim({"text": text, "appearances": [
                {"url": f"https://news.example.com/il20/{n}", "outlet": {"name": "Example News"}}]})
        secrets = [tokens.create_token(f"{desk} {role}", role, desk)[1]
                   for desk, role in ((DESK_A[0], "factchecker"), (DESK_B[0], "factchecker"), (DESK_A[0], "reader"))]
        db.session.remove()
    return Store(*secrets)


def claim_id(text: str) -> int:
    """The id of the stored claim whose text starts with `text` (inside an app context)."""
    return db.session.scalars(select(Claim.id).where(Claim.text.startswith(text))).one()
