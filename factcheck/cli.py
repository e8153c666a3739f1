"""Flask CLI commands: tokens, the demo seed, bulk import and export, the webhook worker, languages, the linker."""
import functools
import json
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import click
import marshmallow as ma
from flask import Flask, current_app

from factcheck.cli_articles import seed_article
from factcheck.errors import DomainError
from factcheck.models import ROLES
from factcheck.models.types import utcnow
from factcheck.schemas import json_input
from factcheck.schemas.claims import ClaimCreateSchema
from factcheck.schemas.verdicts import VerdictCreateSchema
from factcheck.services import (
    accounts,
    bulk,
    export,
    formats,
    linking,
    organisations,
    publishers,
    seed,
    tokens,
    webhook_delivery,
)
from factcheck.services.actors import SYSTEM, Actor
from factcheck.services.claims import detect_unknown_languages


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
        if (reason := _not_importable(verdicts)) is not None:
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


def _validated(rows, rejected: list):
    """Records that pass the API's own schemas; each bad row goes to `rejected` with its reason."""
    claim_schema, verdict_schema = ClaimCreateSchema(), VerdictCreateSchema(many=True)
    for number, record, reason in rows:
        if reason is None:
            deep, broken = json_input.problems(record)
            reason = deep or broken or None
        if reason is None:
            try:
                verdicts = verdict_schema.load(record.pop("verdicts", []))
            except ma.ValidationError as error:
                reason = {"verdicts": error.messages}
        if reason is None:
            try:
                claim = claim_schema.load(record)
            except ma.ValidationError as error:
                reason = error.messages
            else:
                reason = _not_importable(verdicts)
        if reason is None:
            yield number, claim, verdicts
        else:
            rejected.append((number, reason))


def _not_importable(verdicts: list[dict]) -> dict | None:
    # The API fills these in from the caller's organisation; a file has no caller.
    for i, verdict in enumerate(verdicts):
        if "publisher" not in verdict:
            return {"verdicts": {i: {"publisher": ["Required when importing."]}}}
        if verdict.get("status", "published") != "published":
            return {"verdicts": {i: {"status": ["Only published verdicts are imported."]}}}
    return None


def _advancing(bar, rows):
    for row in rows:
        bar.update(row[0] - bar.pos, row[0])
        yield row


@click.command("import-claims")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default="jsonl", show_default=True,
              help="jsonl: a POST /api/v1/claims body per line, with optional \"verdicts\"; csv: the "
                   "header of export-claims; liar: the LIAR data set's TSV.")
@click.option("--batch-size", default=500, show_default=True, help="Claims per transaction.")
@AS_ORGANISATION
@clean_errors
def import_claims_command(path: Path, fmt: str, batch_size: int, organisation: str | None) -> None:
    """Import claims with their appearances and verdicts, linking each; a claim whose text is
    already stored gets only the appearances and verdicts it lacks. UTF-8 (a byte order mark
    is allowed); each line that cannot be imported is reported, and the exit status is 1."""
    actor = importer(organisation)
    # Undecodable bytes are read as lone surrogates, so that only their line is rejected.
    with path.open(encoding="utf-8-sig", errors="surrogateescape") as file:
        total = sum(1 for _ in file)
    rejected: list = []
    started = time.monotonic()
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as file, click.progressbar(
        length=total, label=f"Importing {path.name}", show_pos=True,
        item_show_func=lambda line: line and f"{line / max(time.monotonic() - started, 1e-9):,.0f} lines/s",
    ) as bar:
        rows = _validated(_advancing(bar, formats.READERS[fmt](file)), rejected)
        summary = bulk.import_records(rows, batch_size, actor)
    rejected = sorted(rejected + summary.rejected, key=lambda item: item[0])
    elapsed = time.monotonic() - started
    click.echo(f"Imported {summary.imported:,} claims from {path.name} in {elapsed:.1f} s "
               f"({summary.imported / max(elapsed, 1e-9):,.0f} claims/s): {summary.created:,} created, "
               f"{summary.updated:,} updated, {summary.unchanged:,} unchanged; {summary.verdicts:,} verdicts "
               f"added; {summary.links:,} links; rejected {len(rejected):,} lines.")
    for number, reason in rejected[:20]:
        click.echo(f"  line {number}: {reason}", err=True)
    if len(rejected) > 20:
        click.echo(f"  ... and {len(rejected) - 20} more", err=True)
    if rejected:
        raise click.exceptions.Exit(1)


@click.command("export-claims")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(formats.EXPORT_FORMATS), default="jsonl", show_default=True)
@clean_errors
def export_claims_command(path: Path, fmt: str) -> None:
    """Export every claim with its appearances and published verdicts, as import-claims reads them."""
    total = export.count_claims()
    with path.open("w", encoding="utf-8", newline="") as file, click.progressbar(
        export.export_records(), length=total, label=f"Exporting to {path.name}", show_pos=True,
    ) as records:
        formats.WRITERS[fmt](file, records)
    click.echo(f"Exported {total:,} claims to {path}.")


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
        run = webhook_delivery.deliver_due(batch_size, timeout)
        if run.attempted:
            click.echo(f"{run.delivered} delivered, {run.retrying} to retry later, {run.failed} failed for good.")
        if run.attempted < batch_size:
            if once:
                return
            time.sleep(interval)


@click.command("link-pending")
@clean_errors
def link_pending_command() -> None:
    """Index and link the claims still waiting for the linker (left by a worker that died)."""
    linked = linking.link_pending()
    left = len(linking.pending_ids())
    click.echo(f"Linked {linked:,} claims" + (f"; {left:,} still pending (another linker is at work)." if left else "."))


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_token)
    app.cli.add_command(revoke_token)
    app.cli.add_command(set_site)
    app.cli.add_command(seed_command)
    app.cli.add_command(import_claims_command)
    app.cli.add_command(export_claims_command)
    app.cli.add_command(deliver_webhooks_command)
    app.cli.add_command(detect_languages_command)
    app.cli.add_command(link_pending_command)
    from factcheck.cli_claimreview import import_claimreview_command
    app.cli.add_command(import_claimreview_command)
