"""Use cases, grouped by what a fact-checker does; each owns its transaction (storage.uow)."""
