"""`flask import-claimreview`: ClaimReview JSON-LD files (one review, an array, or a DataFeed)."""
import json
import time
from pathlib import Path

import click
import marshmallow as ma

from factcheck.cli import AS_ORGANISATION, clean_errors, importer
from factcheck.schemas.claimreview_import import ClaimReviewDocumentSchema
from factcheck.services.claimreview_import import ImportSummary, import_reviews

SHOWN_REJECTIONS = 20


@click.command("import-claimreview")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@AS_ORGANISATION
@clean_errors
def import_claimreview_command(path: Path, organisation: str | None) -> None:
    """Import ClaimReview JSON-LD, keyed on review urls: importing a file twice changes nothing."""
    actor = importer(organisation)
    try:
        document = ClaimReviewDocumentSchema().load(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as error:
        raise click.ClickException(f"{path} is not JSON: {error}") from error
    except ma.ValidationError as error:
        raise click.ClickException(f"{path}: {error.messages}") from error
    summary = ImportSummary(rejected=list(document["rejected"]))
    started = time.monotonic()
    with click.progressbar(
        document["reviews"], label=f"Importing {path.name}", show_pos=True,
        item_show_func=lambda item: item and f"{item['index'] / max(time.monotonic() - started, 1e-9):,.0f} reviews/s",
    ) as reviews:
        import_reviews(reviews, summary, actor)
    elapsed = time.monotonic() - started
    click.echo(f"ClaimReviews from {path.name} in {elapsed:.1f} s: created {summary.created}, updated "
               f"{summary.updated}, unchanged {summary.unchanged}, rejected {len(summary.rejected)}.")
    for item in summary.rejected[:SHOWN_REJECTIONS]:
        click.echo(f"  #{item['index']} at {item['path']}: {item['errors']}", err=True)
    if len(summary.rejected) > SHOWN_REJECTIONS:
        click.echo(f"  ... and {len(summary.rejected) - SHOWN_REJECTIONS} more", err=True)
