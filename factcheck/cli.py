"""Flask CLI commands: tokens and the demo seed."""
import json
from pathlib import Path

import click
import marshmallow as ma
from flask import Flask, current_app

from factcheck.errors import DomainError
from factcheck.models import ROLES
from factcheck.schemas.claims import ClaimCreateSchema
from factcheck.schemas.verdicts import VerdictCreateSchema
from factcheck.services import seed, tokens


@click.command("create-token")
@click.option("--name", required=True, help="Who or what will use the token.")
@click.option("--role", type=click.Choice(ROLES), default="factchecker", show_default=True)
def create_token(name: str, role: str) -> None:
    """Create an API token and print its secret (shown this once only)."""
    try:
        token, secret = tokens.create_token(name, role)
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    click.echo(f"Created token {token.prefix}... ({role}) for {name}. Keep it; it is not stored:", err=True)
    click.echo(secret)


@click.command("seed")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Seed file (default: seeds/il20.json).")
def seed_command(path: Path | None) -> None:
    """Load the demo story; safe to run twice."""
    path = path or current_app.config["SEED_FILE"]
    document = json.loads(path.read_text(encoding="utf-8"))
    claim_schema, verdict_schema = ClaimCreateSchema(), VerdictCreateSchema(many=True)
    try:
        claims = [
            (claim_schema.load({k: v for k, v in item.items() if k not in ("key", "verdicts")}),
             verdict_schema.load(item.get("verdicts", [])))
            for item in document["claims"]
        ]
    except ma.ValidationError as error:
        raise click.ClickException(f"{path} is not a valid seed: {error.messages}") from error
    created, skipped = seed.load_seed(claims)
    click.echo(f"Seeded {created} claims from {path.name} ({skipped} already present).")


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_token)
    app.cli.add_command(seed_command)
