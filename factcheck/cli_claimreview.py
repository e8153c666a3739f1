"""`flask import-claimreview`: ClaimReview JSON-LD files (one review, an array, or a DataFeed)."""
import json
import time
from pathlib import Path

import click
import marshmallow as ma

from factcheck.cli import AS_ORGANISATION, clean_errors, importer
from factcheck.schemas import json_input
from factcheck.schemas.claimreview_import import ClaimReviewDocumentSchema
from factcheck.services.exchange.claimreview_import import ImportSummary, import_reviews

SHOWN_ITEMS = 20  # of the rejected reviews, then of those imported with warnings


def _undecodable_lines(raw: bytes) -> list[tuple[int, str]]:
    """(line number, why) for each line of the file that is not UTF-8."""
    bad = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode()
        except UnicodeDecodeError as error:
            bad.append((number, f"not UTF-8 (byte 0x{line[error.start]:02x} at column {error.start + 1})"))
    return bad


def _read(path: Path, raw: bytes, base_url: str | None = None) -> dict:
    """The file as ClaimReviewDocumentSchema reads it; undecodable bytes become lone
    surrogates, which the schema rejects with the review that holds them."""
    try:
        data = json.loads(raw.decode("utf-8-sig", errors="surrogateescape"))
    except json.JSONDecodeError as error:
        raise click.ClickException(f"{path} is not JSON: {error}") from error
    except RecursionError:
        data = None
    if data is None or json_input.problems(data)[0]:
        raise click.ClickException(f"{path} is nested deeper than {json_input.MAX_DEPTH} levels.")
    try:
        return ClaimReviewDocumentSchema(base_url=base_url).load(data)
    except ma.ValidationError as error:
        raise click.ClickException(f"{path}: {error.messages}") from error


@click.command("import-claimreview")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--base-url", help="Where the markup was published: relative review urls resolve against it.")
@AS_ORGANISATION
@clean_errors
def import_claimreview_command(path: Path, base_url: str | None, organisation: str | None) -> None:
    """Import ClaimReview JSON-LD (or Google's claims:search JSON), keyed on review urls:
    importing a file twice changes nothing. UTF-8 (a byte order mark is allowed); each line
    that is not, and each review that cannot be imported, is reported, and the exit status is
    then 1."""
    actor = importer(organisation)
    raw = path.read_bytes()
    bad_lines = _undecodable_lines(raw)
    for number, reason in bad_lines[:SHOWN_ITEMS]:
        click.echo(f"  line {number}: {reason}", err=True)
    document = _read(path, raw, base_url)
    summary = ImportSummary(rejected=list(document["rejected"]))
    started = time.monotonic()
    with click.progressbar(
        document["reviews"], label=f"Importing {path.name}", show_pos=True,
        item_show_func=lambda item: item and f"{item['index'] / max(time.monotonic() - started, 1e-9):,.0f} reviews/s",
    ) as reviews:
        import_reviews(reviews, summary, actor)
    elapsed = time.monotonic() - started
    click.echo(f"ClaimReviews from {path.name} in {elapsed:.1f} s: created {summary.created}, updated "
               f"{summary.updated}, unchanged {summary.unchanged}, rejected {len(summary.rejected)}, "
               f"with warnings {len(summary.warnings)}.")
    shown = ((summary.rejected, "rejected", "errors"), (summary.warnings, "imported without", "warnings"))
    for items, what, key in shown:
        for item in items[:SHOWN_ITEMS]:
            click.echo(f"  #{item['index']} at {item['path']} {what}: {item[key]}", err=True)
        if len(items) > SHOWN_ITEMS:
            click.echo(f"  ... and {len(items) - SHOWN_ITEMS} more {what}", err=True)
    if bad_lines or summary.rejected:
        raise click.exceptions.Exit(1)
