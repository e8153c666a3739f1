"""Use cases for claims: recording them with their sources, correcting them, reading them."""
