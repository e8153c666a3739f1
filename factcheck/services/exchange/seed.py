"""The demo story: claims with their sources and verdicts, each claim stored whole or not at all."""
from factcheck.services.exchange.bulk import BulkSummary, import_records


def load_seed(claims: list[tuple[dict, list[dict]]]) -> BulkSummary:
    """Store each (claim, its verdicts) in one transaction, as the bulk import does.

    A claim already stored (same text) gets only the appearances and verdicts it lacks, so a
    rerun completes what an interrupted run left undone and otherwise changes nothing.
    """
    records = ((number, claim, verdicts) for number, (claim, verdicts) in enumerate(claims, 1))
    return import_records(records, batch_size=1)
