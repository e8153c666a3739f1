"""Plumbing between the use cases and the database: engine, unit of work, paging, dialect helpers."""
