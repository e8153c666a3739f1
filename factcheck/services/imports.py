"""Bulk import of claims (kept as the benchmarks' entry point; the work is in services.bulk)."""
from factcheck.services.bulk import BulkSummary, import_claims

__all__ = ["BulkSummary", "import_claims"]
