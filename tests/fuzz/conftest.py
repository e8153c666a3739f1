"""Prints how many cases the schemathesis run tried of each kind, whatever `-s` says."""
from collections import Counter

from tests.fuzz.tally import CASES


def pytest_terminal_summary(terminalreporter):
    if not CASES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("schemathesis: cases tried")
    for database in sorted({key[0] for key in CASES}):
        kinds = Counter()
        for (db, _, phase, mode), count in CASES.items():
            if db == database:
                kinds[(phase, mode)] += count
        total = sum(kinds.values())
        parts = ", ".join(f"{phase}/{mode} {count}" for (phase, mode), count in sorted(kinds.items()))
        write(f"{database}: {total} cases ({parts})")
    by_operation: dict[str, Counter] = {}
    for (db, operation, _, mode), count in CASES.items():
        by_operation.setdefault(operation, Counter())[mode] += count
    width = max(map(len, by_operation))
    write(f"{'operation (both databases)':<{width}}  positive  negative")
    for operation, modes in sorted(by_operation.items(), key=lambda item: item[0].split(" ", 1)[::-1]):
        write(f"{operation:<{width}}  {modes['positive']:>8}  {modes['negative']:>8}")
