"""From article to claims: main text, sentences, attributed candidates and their check-worthiness."""
from factcheck.articles.analysis import Analysis, Candidate, NoText, analyse, article_text

__all__ = ["Analysis", "Candidate", "NoText", "analyse", "article_text"]
