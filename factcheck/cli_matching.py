"""Flask CLI commands that judge the link decision by the instance's own decisions and refit it."""
import click

from factcheck.cli import clean_errors
from factcheck.services import link_calibration


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
    result = link_calibration.calibrate(prior)
    click.echo(f"Refitted {result['from']} on {result['decisions']} decisions: now {result['version']}.")
    click.echo("                        log loss  confirmed P / R   suggested P / R")
    for name in ("before", "after", "after_held_out"):
        f = result[name]
        click.echo(f"  {name.replace('_', ' '):20}  {f['log_loss']:8.3f}  "
                   f"{f['confirmed_precision']:.3f} / {f['confirmed_recall']:.3f}     "
                   f"{f['suggested_precision']:.3f} / {f['suggested_recall']:.3f}")
