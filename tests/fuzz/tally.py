"""How many cases the fuzzer tried, by database, operation, phase and generation mode."""
from collections import Counter

CASES: Counter = Counter()  # (database, operation, phase, mode) -> cases sent
