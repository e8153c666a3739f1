"""`flask link-pending` and `flask embed-claims`: the linker's and the semantic stage's maintenance."""
import click

from factcheck.cli import clean_errors
from factcheck.services import linking, reembedding


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
