"""From article to claims: main text, sentences, attributed candidates and their check-worthiness."""
