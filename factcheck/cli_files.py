"""`flask import-claims` and `flask export-claims`: bulk files of claims (JSON lines, CSV, LIAR)."""
import time
from pathlib import Path

import click
import marshmallow as ma

from factcheck.cli import AS_ORGANISATION, clean_errors, importer, not_importable
from factcheck.schemas import json_input
from factcheck.schemas.claims import ClaimCreateSchema
from factcheck.schemas.verdicts import VerdictCreateSchema
from factcheck.services.exchange import bulk, export, formats


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
                reason = not_importable(verdicts)
        if reason is None:
            yield number, claim, verdicts
        else:
            rejected.append((number, reason))


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
