"""`flask seed`'s story, posted for analysis as POST /api/v1/articles posts an article."""
from pathlib import Path

import click

from factcheck import settings
from factcheck.schemas.articles import ArticleCreateSchema
from factcheck.services.claims import articles


def seed_article(path: Path, article: dict | None) -> None:
    """Post the seed's story (its text beside the seed file, `<name>-article.txt`) for analysis,
    so that the demo shows its candidates; the seeded claims stay as they are."""
    text_file = path.with_name(f"{path.stem}-article.txt")
    if article is None or not text_file.exists():
        return
    data = ArticleCreateSchema().load({**article, "text": text_file.read_text(encoding="utf-8")})
    article_id, created = articles.store_article(data, settings.current())
    click.echo(f"{'Posted' if created else 'Updated'} the story as article {article_id} for analysis.")
