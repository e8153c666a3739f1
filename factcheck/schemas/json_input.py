"""What no JSON input may hold in any field: lone surrogates, or nesting past a sane depth."""
import json
import re

# Deep enough for any document the API takes (a DataFeed's review is about 8 levels down).
MAX_DEPTH = 32
NOT_UNICODE = "Not valid Unicode: a lone surrogate (an unpaired \\ud800-\\udfff escape) or an undecodable byte."
_SURROGATE = re.compile("[\ud800-\udfff]")
# A lone surrogate can only arrive as a \u escape in text that decoded as UTF-8.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _at(errors: dict, path: tuple, message: str) -> None:
    """Put a message at a path, nested as marshmallow nests a field's errors."""
    node = errors
    for key in path[:-1]:
        node = node.setdefault(str(key), {})
        if not isinstance(node, dict):
            return
    node.setdefault(str(path[-1]) if path else "_schema", []).append(message)


def escaped(key: str) -> str:
    """A key as it can be written in an answer (its lone surrogates as escapes)."""
    return json.dumps(key)[1:-1] if _SURROGATE.search(key) else key


def too_deep(raw: bytes) -> bool:
    """Whether a JSON text may nest deeper than MAX_DEPTH (cheap: it counts brackets)."""
    return raw.count(b"[") + raw.count(b"{") > MAX_DEPTH


def may_hold_surrogates(raw: bytes) -> bool:
    return _SURROGATE_ESCAPE.search(raw) is not None


def problems(data, *, depth: int = MAX_DEPTH) -> tuple[dict, dict]:
    """(fields nested deeper than `depth`, fields holding lone surrogates), each as field ->
    messages; both empty for good input. Walked without recursion, whatever the depth."""
    deep: dict = {}
    broken: dict = {}
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                _at(broken, path, NOT_UNICODE)
            continue
        if not isinstance(value, (dict, list)):
            continue
        if len(path) >= depth:
            # Named by the field it is in: the whole path would be as deep as the input.
            _at(deep, path[:1], f"Nested deeper than {depth} levels.")
            continue
        if isinstance(value, dict):
            for key, child in value.items():
                if _SURROGATE.search(key):
                    _at(broken, (*path, escaped(key)), NOT_UNICODE)
                stack.append(((*path, escaped(key)), child))
        else:
            stack.extend(((*path, i), child) for i, child in enumerate(value))
    return deep, broken
