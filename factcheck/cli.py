"""Flask CLI commands: tokens, the demo seed, bulk import."""
import json
import time
from pathlib import Path

import click
import marshmallow as ma
from flask import Flask, current_app

from factcheck.errors import DomainError
from factcheck.models import ROLES
from factcheck.schemas.claims import ClaimCreateSchema
from factcheck.schemas.verdicts import VerdictCreateSchema
from factcheck.services import imports, seed, tokens


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


def _parsed_lines(lines, schema: ma.Schema, rejected: list):
    """Valid claims of a JSON-lines file; each bad line goes to `rejected` with its reason."""
    for number, line in lines:
        if not line.strip():
            continue
        try:
            yield schema.load(json.loads(line))
        except json.JSONDecodeError as error:
            rejected.append((number, f"not JSON: {error.msg}"))
        except ma.ValidationError as error:
            rejected.append((number, error.messages))


@click.command("import-claims")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--batch-size", default=500, show_default=True, help="Claims per transaction.")
def import_claims_command(path: Path, batch_size: int) -> None:
    """Import claims from JSON lines (one POST /api/v1/claims body per line), linking each."""
    with path.open(encoding="utf-8") as file:
        total = sum(1 for _ in file)
    rejected: list = []
    started = time.monotonic()
    with path.open(encoding="utf-8") as file, click.progressbar(
        enumerate(file, start=1), length=total, label=f"Importing {path.name}", show_pos=True,
        item_show_func=lambda item: item and f"{item[0] / max(time.monotonic() - started, 1e-9):,.0f} lines/s",
    ) as lines:
        summary = imports.import_claims(_parsed_lines(lines, ClaimCreateSchema(), rejected), batch_size)
    elapsed = time.monotonic() - started
    click.echo(f"Created {summary.created} claims and {summary.links} links in {elapsed:.1f} s "
               f"({summary.created / max(elapsed, 1e-9):,.0f} claims/s); rejected {len(rejected)} lines.")
    for number, reason in rejected[:20]:
        click.echo(f"  line {number}: {reason}", err=True)
    if len(rejected) > 20:
        click.echo(f"  ... and {len(rejected) - 20} more", err=True)


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_token)
    app.cli.add_command(seed_command)
    app.cli.add_command(import_claims_command)
