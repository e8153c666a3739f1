"""Flask CLI commands: tokens, the demo seed, the webhook worker, languages; the others register here too."""
import functools
import json
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import click
import marshmallow as ma
from flask import Flask, current_app

from factcheck import settings
from factcheck.cli_articles import seed_article
from factcheck.errors import DomainError
from factcheck.models import ROLES
from factcheck.models.types import utcnow
from factcheck.schemas.claims import ClaimCreateSchema
from factcheck.schemas.verdicts import VerdictCreateSchema
from factcheck.services.accounts import organisations, tokens
from factcheck.services.accounts import users as accounts
from factcheck.services.accounts.actors import SYSTEM, Actor
from factcheck.services.claims.records import detect_unknown_languages
from factcheck.services.exchange import seed
from factcheck.services.verdicts import publishers
from factcheck.services.webhooks import delivery as webhook_delivery


def clean_errors(command: Callable) -> Callable:
    """A domain error (a name taken, an unknown token, a conflict) ends the command with its
    message, as the API answers it, instead of a traceback."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            raise click.ClickException(error.detail) from error
    return run


@click.command("create-token")
@click.option("--name", required=True, help="The user the token is for (created if missing).")
@click.option("--role", type=click.Choice(ROLES), default="factchecker", show_default=True)
@click.option("--organisation", default=tokens.DEFAULT_ORGANISATION, show_default=True,
              help="The user's newsroom (created if missing, with --site).")
@click.option("--site", help="The site of a newsroom this creates, such as fullfact.org: it signs the "
                             "newsroom's verdicts. Required for a new newsroom.")
@click.option("--expires-in-days", type=click.IntRange(min=1), help="Expire the token after this many days.")
@clean_errors
def create_token(name: str, role: str, organisation: str, site: str | None, expires_in_days: int | None) -> None:
    """Create an API token and print its secret (shown this once only). The operator role
    (runs the instance, sees every newsroom) is granted here only, never through the API."""
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    token, secret = tokens.create_token(name, role, organisation, expires_at, site)
    click.echo(f"Created token {token.prefix}... ({role}) for {name} of {organisation}. "
               "Keep it; it is not stored:", err=True)
    click.echo(secret)


@click.command("revoke-token")
@click.argument("prefix")
@clean_errors
def revoke_token(prefix: str) -> None:
    """Revoke the token whose secret starts with PREFIX (as `GET /api/v1/tokens` shows it)."""
    token = accounts.revoke_token_by_prefix(prefix, SYSTEM)
    click.echo(f"Revoked token {token.prefix}... ({token.name}).")


@click.command("set-site")
@click.argument("organisation")
@click.argument("site")
@clean_errors
def set_site(organisation: str, site: str) -> None:
    """Give the newsroom ORGANISATION its SITE (such as fullfact.org), or change it."""
    found = organisations.set_site_by_name(organisation, site, SYSTEM)
    click.echo(f"{found.name} signs as {found.site}.")


@click.command("seed")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Seed file (default: seeds/il20.json).")
@clean_errors
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
    for number, (_, verdicts) in enumerate(claims, 1):
        if (reason := not_importable(verdicts)) is not None:
            raise click.ClickException(f"{path} is not a valid seed: claim {number}: {reason}")
    summary = seed.load_seed(claims)
    click.echo(f"Seeded {summary.created} claims from {path.name}, completed {summary.updated} "
               f"({summary.unchanged} already present).")
    for number, reason in summary.rejected:
        click.echo(f"  claim {number} not seeded: {reason}", err=True)
    seed_article(path, document.get("article"))


AS_ORGANISATION = click.option(
    "--organisation", help="Import as this newsroom would through the API: reviews under its site are its "
                           "verdicts, others' are external reviews it imported. Without it the operator "
                           "imports, and no newsroom's site may be named.")


def importer(organisation: str | None) -> Actor:
    """Who a CLI import acts as: the operator, or the newsroom it names."""
    return SYSTEM if organisation is None else publishers.importing_as(organisation)


def not_importable(verdicts: list[dict]) -> dict | None:
    # The API fills these in from the caller's organisation; a file has no caller.
    for i, verdict in enumerate(verdicts):
        if "publisher" not in verdict:
            return {"verdicts": {i: {"publisher": ["Required when importing."]}}}
        if verdict.get("status", "published") != "published":
            return {"verdicts": {i: {"status": ["Only published verdicts are imported."]}}}
    return None


@click.command("detect-languages")
@clean_errors
def detect_languages_command() -> None:
    """Detect the language of claims stored before factcheck recorded whether it was given."""
    click.echo(f"Languages detected for {detect_unknown_languages():,} claims.")


@click.command("deliver-webhooks")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds to sleep when nothing is due.")
@click.option("--batch-size", default=50, show_default=True, help="Deliveries taken at a time.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds to wait for each receiver.")
@clean_errors
def deliver_webhooks_command(once: bool, interval: float, batch_size: int, timeout: float) -> None:
    """Send pending webhook deliveries, retrying failures with backoff; run as many as you like."""
    while True:
        run = webhook_delivery.deliver_due(settings.current(), batch_size, timeout)
        if run.attempted:
            click.echo(f"{run.delivered} delivered, {run.retrying} to retry later, {run.failed} failed for good.")
        if run.attempted < batch_size:
            if once:
                return
            time.sleep(interval)


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_token)
    app.cli.add_command(revoke_token)
    app.cli.add_command(set_site)
    app.cli.add_command(seed_command)
    app.cli.add_command(deliver_webhooks_command)
    app.cli.add_command(detect_languages_command)
    from factcheck.cli_claimreview import import_claimreview_command
    from factcheck.cli_files import export_claims_command, import_claims_command
    from factcheck.cli_matching import (
        calibrate_matching_command,
        embed_claims_command,
        link_pending_command,
        matching_report_command,
    )
    app.cli.add_command(import_claimreview_command)
    app.cli.add_command(import_claims_command)
    app.cli.add_command(export_claims_command)
    app.cli.add_command(link_pending_command)
    app.cli.add_command(embed_claims_command)
    app.cli.add_command(matching_report_command)
    app.cli.add_command(calibrate_matching_command)
