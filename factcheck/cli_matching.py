"""Matching's maintenance: the linker (`link-pending`), the vectors (`embed-claims`) and the link
decision judged and refitted on the instance's own decisions (`matching-report`, `calibrate-matching`)."""
import click

from factcheck import settings
from factcheck.cli import clean_errors
from factcheck.services.links import calibration as link_calibration
from factcheck.services.links import linker as linking
from factcheck.services.links import reembedding


@click.command("link-pending")
@clean_errors
def link_pending_command() -> None:
    """Index and link the claims still waiting for the linker (left by a worker that died)."""
    linked = linking.link_pending()
    left = len(linking.pending_ids())
    click.echo(f"Linked {linked:,} claims" + (f"; {left:,} still pending (another linker is at work)." if left else "."))


@click.command("embed-claims")
@click.option("--batch-size", default=256, show_default=True, help="Claims encoded per transaction.")
@click.option("--prune", is_flag=True, help="Then delete the vectors of every other model.")
@clean_errors
def embed_claims_command(batch_size: int, prune: bool) -> None:
    """Embed every claim that has no vector under SEMANTIC_MODEL (claims stored before the
    semantic stage, or under another model). Servers keep matching with the vectors they
    have until theirs are complete; run it again after switching SEMANTIC_MODEL."""
    missing = reembedding.count_without_vectors()
    with click.progressbar(length=missing, label=f"Embedding with {reembedding.model_name()}") as bar:
        embedded = reembedding.embed_missing(batch_size, bar.update)
    click.echo(f"Embedded {embedded:,} claims.")
    if prune:
        click.echo(f"Deleted {reembedding.prune_other_models():,} vectors of other models.")


def _share(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


@click.command("matching-report")
@clean_errors
def matching_report_command() -> None:
    """Precision of each score band among the links people confirmed or rejected, per scorer,
    and the thresholds those decisions support."""
    found = link_calibration.report()
    if not found:
        click.echo("No link has been confirmed or rejected by a person yet.")
    for scorer, seen in found.items():
        click.echo(f"{scorer}: {seen['decided']} links decided by people")
        click.echo("  score band    confirmed  rejected  precision")
        for band in seen["bands"]:
            click.echo(f"  {band.low:5.1f}-{band.high:5.1f}  {band.confirmed:9}  {band.rejected:8}  "
                       f"{_share(band.precision):>9}")
        suggest, auto = seen["suggest"], seen["auto"]
        click.echo(f"  suggested thresholds: suggest {'n/a' if suggest is None else f'{suggest:.1f}'} "
                   f"(best F1), auto {'n/a' if auto is None else f'{auto:.1f}'} (precision >= 0.97 above it)")


@click.command("calibrate-matching")
@click.option("--prior", default=10.0, show_default=True, type=click.FloatRange(min=0.0, min_open=True),
              help="How strongly the refit keeps to the current coefficients.")
@clean_errors
def calibrate_matching_command(prior: float) -> None:
    """Refit the link decision on the links people confirmed or rejected, starting from the one in
    use, and store it for every worker; new links name its version, old links keep theirs."""
    result = link_calibration.calibrate(prior, settings.current().semantic_precision)
    click.echo(f"Refitted {result['from']} on {result['decisions']} decisions: now {result['version']}.")
    click.echo("                        log loss  confirmed P / R   suggested P / R")
    for name in ("before", "after", "after_held_out"):
        f = result[name]
        click.echo(f"  {name.replace('_', ' '):20}  {f['log_loss']:8.3f}  "
                   f"{f['confirmed_precision']:.3f} / {f['confirmed_recall']:.3f}     "
                   f"{f['suggested_precision']:.3f} / {f['suggested_recall']:.3f}")
