"""Bulk file formats <-> records in the shape of POST /api/v1/claims plus its verdicts."""
import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from typing import IO

FORMATS = ("jsonl", "csv", "liar")
EXPORT_FORMATS = ("jsonl", "csv")

# A row read from a file: its (first) line number, and the record or why it was rejected.
Row = tuple[int, dict | None, str | None]

# CSV: one row per claim, or several consecutive rows sharing a claim_ref when a claim has
# several appearances or verdicts (each row carries at most one of each; claim fields are
# taken from the first row). Empty cells mean "absent".
CSV_COLUMNS = (
    "claim_ref", "text", "claimant", "language",
    "url", "outlet", "outlet_domain", "title", "quote", "appearance_claimant", "stance", "published_at",
    "publisher_name", "publisher_site", "rating", "rating_value", "best_rating", "worst_rating",
    "explanation", "review_url", "review_date",
)
# CSV column -> dotted path in an appearance or a verdict record.
CSV_APPEARANCE = {
    "url": "url", "outlet": "outlet.name", "outlet_domain": "outlet.domain", "title": "title",
    "quote": "quote", "appearance_claimant": "claimant.name", "stance": "stance",
    "published_at": "published_at",
}
CSV_VERDICT = {
    "publisher_name": "publisher.name", "publisher_site": "publisher.site", "rating": "rating",
    "rating_value": "rating_value", "best_rating": "best_rating", "worst_rating": "worst_rating",
    "explanation": "explanation", "review_url": "url", "review_date": "review_date",
}
_NUMBERS = {"rating_value", "best_rating", "worst_rating"}


def speaker_name(slug: str) -> str:
    """LIAR names speakers by slug: "barack-obama" -> "Barack Obama"."""
    return " ".join(part.capitalize() for part in slug.split("-") if part)


# LIAR (Wang 2017): headerless TSV of PolitiFact statements. Its labels are PolitiFact's,
# so every verdict is signed by one fixed publisher. Columns not listed (subjects, job,
# state, party, earlier-rating counts) have no home in a claim. "context" is the venue
# ("a mailer"), neither a url nor the verdict's reasoning, so it is left out too.
LIAR_COLUMNS = (
    "id", "label", "statement", "subjects", "speaker", "job_title", "state", "party",
    "barely_true_counts", "false_counts", "half_true_counts", "mostly_true_counts",
    "pants_on_fire_counts", "context",
)
LIAR_PUBLISHER = {"name": "PolitiFact (LIAR dataset)", "site": "politifact.com"}
LIAR_MAPPING: dict[str, tuple[str, Callable[[str], object]]] = {
    "statement": ("text", str.strip),
    "speaker": ("claimant.name", speaker_name),
    "label": ("verdicts.0.rating", str.strip),
}
LIAR_CONSTANTS = {"language": "en", "verdicts.0.publisher": LIAR_PUBLISHER}


def _put(record: dict, path: str, value) -> None:
    """Set a dotted path ("verdicts.0.rating"), creating dicts and lists on the way."""
    keys = path.split(".")
    node = record
    for key, following in pairwise(keys):
        empty = list if following.isdigit() else dict
        if isinstance(node, list):
            while len(node) <= int(key):
                node.append(empty())
            node = node[int(key)]
        else:
            node = node.setdefault(key, empty())
    node[keys[-1]] = value


def _mapped(values: dict[str, str], mapping: dict, constants: dict) -> dict:
    record: dict = {}
    for path, value in constants.items():
        _put(record, path, dict(value) if isinstance(value, dict) else value)
    for column, (path, convert) in mapping.items():
        value = values.get(column, "").strip()
        if value:
            _put(record, path, convert(value))
    return record


def read_liar(file: IO[str]) -> Iterator[Row]:
    for number, cells in enumerate(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(LIAR_COLUMNS):
            yield number, None, f"expected {len(LIAR_COLUMNS)} tab-separated columns, got {len(cells)}"
            continue
        yield number, _mapped(dict(zip(LIAR_COLUMNS, cells)), LIAR_MAPPING, LIAR_CONSTANTS), None


def read_jsonl(file: IO[str]) -> Iterator[Row]:
    for number, line in enumerate(file, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, None, f"not JSON: {error.msg}"
            continue
        except RecursionError:
            yield number, None, "not JSON this importer reads: nested too deeply"
            continue
        if isinstance(record, dict):
            yield number, record, None
        else:
            yield number, None, "not a JSON object"


def _part(values: dict[str, str], columns: dict[str, str]) -> dict:
    part: dict = {}
    for column, path in columns.items():
        if value := (values.get(column) or "").strip():
            _put(part, path, float(value) if column in _NUMBERS and _is_number(value) else value)
    return part


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


# A cell a spreadsheet would run as a formula (OWASP's CSV injection): the export writes it
# after a "'", which spreadsheets show as text, and the import takes that "'" off again. A
# cell already starting with "'"s before such a character gains one more, so that every
# cell reads back as it was written.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def _neutralised(cell: str) -> str:
    return f"'{cell}" if _FORMULA.match(cell) and not _NUMBER.match(cell) else cell


def _restored(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell) and not _NUMBER.match(cell[1:]) else cell


def read_csv(file: IO[str]) -> Iterator[Row]:
    reader = csv.DictReader(file)
    missing = {"text"} - set(reader.fieldnames or ())
    if missing:
        yield 1, None, f"the header lacks {', '.join(sorted(missing))} (expected {', '.join(CSV_COLUMNS)})"
        return
    current: tuple[int, str, dict] | None = None
    for read in reader:
        number = reader.line_num
        values = {column: _restored(cell) for column, cell in read.items() if isinstance(cell, str)}
        ref = (values.get("claim_ref") or "").strip()
        if current is None or not ref or ref != current[1]:
            if current is not None:
                yield current[0], current[2], None
            claim = {"text": values.get("text") or ""}
            if name := (values.get("claimant") or "").strip():
                claim["claimant"] = {"name": name}
            if language := (values.get("language") or "").strip():
                claim["language"] = language
            claim["appearances"], claim["verdicts"] = [], []
            current = (number, ref, claim)
        if appearance := _part(values, CSV_APPEARANCE):
            current[2]["appearances"].append(appearance)
        if verdict := _part(values, CSV_VERDICT):
            current[2]["verdicts"].append(verdict)
    if current is not None:
        yield current[0], current[2], None


READERS = {"jsonl": read_jsonl, "csv": read_csv, "liar": read_liar}


def _flat(part: dict, columns: dict[str, str]) -> dict[str, str]:
    row = {}
    for column, path in columns.items():
        node = part
        for key in path.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if node is not None:
            row[column] = f"{node:g}" if isinstance(node, float) else str(node)
    return row


def write_csv(file: IO[str], records: Iterable[tuple[int, dict]]) -> None:
    # CRLF, as RFC 4180 has it: the writer then also quotes a cell holding a lone "\r".
    writer = csv.DictWriter(file, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for ref, record in records:
        claim = {"claim_ref": str(ref), "text": record["text"], "language": record.get("language", ""),
                 "claimant": (record.get("claimant") or {}).get("name", "")}
        appearances, verdicts = record.get("appearances", []), record.get("verdicts", [])
        for i in range(max(1, len(appearances), len(verdicts))):
            row = dict(claim)
            if i < len(appearances):
                row.update(_flat(appearances[i], CSV_APPEARANCE))
            if i < len(verdicts):
                row.update(_flat(verdicts[i], CSV_VERDICT))
            writer.writerow({column: _neutralised(cell) for column, cell in row.items()})


def write_jsonl(file: IO[str], records: Iterable[tuple[int, dict]]) -> None:
    for _, record in records:
        file.write(json.dumps(record, ensure_ascii=False) + "\n")


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}
