"""Two wordings side by side, the words that differ marked (difflib over words)."""
from difflib import SequenceMatcher
from typing import NamedTuple


class Word(NamedTuple):
    text: str
    differs: bool


def marked(a: str, b: str) -> tuple[list[Word], list[Word]]:
    """Each text's words, those outside the longest common runs marked; the comparison
    ignores case and punctuation at the edges of words, as a reader would."""
    words_a, words_b = a.split(), b.split()
    matcher = SequenceMatcher(None, [_key(w) for w in words_a], [_key(w) for w in words_b], autojunk=False)
    same_a, same_b = set(), set()
    for block in matcher.get_matching_blocks():
        same_a.update(range(block.a, block.a + block.size))
        same_b.update(range(block.b, block.b + block.size))
    return ([Word(w, i not in same_a) for i, w in enumerate(words_a)],
            [Word(w, i not in same_b) for i, w in enumerate(words_b)])


def _key(word: str) -> str:
    return word.strip(".,;:!?\"'()[]").casefold()
