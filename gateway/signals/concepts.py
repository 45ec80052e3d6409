"""Concept rules: a kind of request recognised by what it is made of rather than by one
wording. A rule names concepts from `lexicon.LEXICON` ("own_answer", "critique",
"improved") that must all occur within `span` characters of each other; any word of
any listed language stands for its concept. "Critique ta propre réponse, puis rédige
une réponse corrigée" and "review your answer and write an improved one" are one rule.

Words are found in the same single pass as the regex gate words (`gates.WordIndex`);
this module turns those matches into concept positions and checks the rules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from gateway.signals.lexicon import LEXICON

# A concept name -> sorted start offsets of its words in the scanned text.
Hits = dict[str, list[int]]


@dataclass(frozen=True, slots=True)
class ConceptRule:
    label: str  # what the evidence says ("answer critiqued and revised")
    slots: tuple[tuple[str, ...], ...]  # each slot: concepts of which one must occur
    span: int = 250
    # The slots' words in slot order, each within `span` of the one before with no
    # punctuation between: a phrase ("each inference"), not a neighbourhood ("the
    # reasoning behind each choice" is not "each reasoning").
    phrase: bool = False
    # The slots needing a word (all but counts, which are looked for last), as sets: a
    # request passes most rules on this test alone, without a generator per slot.
    needed: tuple[frozenset[str], ...] = field(init=False)
    counted: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "needed", tuple(frozenset(concepts) for concepts in self.slots
                                                 if "count" not in concepts))
        object.__setattr__(self, "counted", any("count" in concepts for concepts in self.slots))


def _spaced_script(char: str) -> bool:
    """Scripts whose words start after a space; Chinese, Japanese, Thai, Lao, Burmese
    and Khmer have no spaces between words and Hebrew joins "the", "and", "to" to the
    word ("התשובה", "the answer"), so their entries match anywhere."""
    code = ord(char)
    return not (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
                or 0x0E00 <= code <= 0x0EFF or 0x1000 <= code <= 0x109F or 0x1780 <= code <= 0x17FF
                or 0x0590 <= code <= 0x05FF)


@dataclass(frozen=True, slots=True)
class Entry:
    concepts: tuple[str, ...]
    left: bool  # must start a word
    right: bool  # must end a word
    # Letters of which the text must hold one ("þð" for an Icelandic word that is also
    # Italian and Swedish); empty: none asked.
    needs: str = ""


def spelling(raw: str) -> tuple[str, bool, str]:
    """A lexicon entry -> (word, whole word, letters its language needs): "alla$@þð" ->
    ("alla", True, "þð")."""
    word, _, needs = raw.partition("@")
    # Composed, as the scanned text is (`Prompt.scan_text`).
    return unicodedata.normalize("NFC", word.rstrip("$").lower()), word.endswith("$"), needs


def entries() -> dict[str, Entry]:
    """Every concept word (lower-case, without its "$" and "@") and how it must be
    bounded."""
    out: dict[str, Entry] = {}
    # A tag names the reasoning in any script: "<razonamiento>", "<hoja>".
    derived = {**LEXICON, "reasoning_tag": tuple("<" + spelling(w)[0] for w in LEXICON["reasoning"])}
    for concept, words in derived.items():
        for raw in words:
            word, whole, needs = spelling(raw)
            known = out.get(word)
            if known is not None:
                if known.needs != needs:
                    raise ValueError(f"{word!r} is listed with different letters it needs: "
                                     f"{known.needs!r} and {needs!r}")
                if concept not in known.concepts:
                    out[word] = Entry((*known.concepts, concept), known.left, known.right, needs)
                continue
            spaced = _spaced_script(word[0])
            out[word] = Entry((concept,), spaced and word[0].isalnum(), whole, needs)
    return out


# Counts of a dataset order ("30 requests", "30개"): found by regex, only when a rule
# that needs one has all its other concepts (numbers are in most prompts).
_COUNT = re.compile(r"(?<![\d.,])(?:[1-9]\d|[1-4]\d\d|500)(?!\d)(?![.,]\d)")


def count_hits(text: str) -> list[int]:
    return [m.start() for m in _COUNT.finditer(text)]


def first_match(rule: ConceptRule, hits: Hits, text: str = "") -> tuple[int, int] | None:
    """The first window (start, end) of at most `rule.span` characters holding a word
    of every slot (for a phrase rule, its words in order: `_phrase`), or None. Counts
    are looked for only once every other slot has a word, and kept in `hits` (the
    request's cache) for the other rules."""
    # A concept is in `hits` only with a position.
    for needed in rule.needed:
        if needed.isdisjoint(hits):
            return None
    if rule.counted and "count" not in hits:
        hits["count"] = count_hits(text)
    if rule.phrase:
        return _phrase(rule, hits, text)
    points: list[tuple[int, int]] = []
    for index, concepts in enumerate(rule.slots):
        before = len(points)
        for concept in concepts:
            points.extend((position, index) for position in hits.get(concept, ()))
        if len(points) == before:
            return None
    points.sort()
    need = len(rule.slots)
    counts = [0] * need
    covered = 0
    left = 0
    for right, (position, index) in enumerate(points):
        if counts[index] == 0:
            covered += 1
        counts[index] += 1
        while points[left][0] < position - rule.span:
            gone = points[left][1]
            counts[gone] -= 1
            if counts[gone] == 0:
                covered -= 1
            left += 1
        if covered == need and _distinct(points[left:right + 1], need):
            return points[left][0], position
    return None


_PUNCTUATION = frozenset(",.;:!?()[]{}\n\"«»“”、，。；：！？")


def _phrase(rule: ConceptRule, hits: Hits, text: str) -> tuple[int, int] | None:
    """The first phrase: from each word of the first slot, the nearest later word of each
    next slot (the nearest is the best candidate for both distance and punctuation)."""
    slots = [sorted({p for concept in concepts for p in hits.get(concept, ())}) for concepts in rule.slots]
    for start in slots[0]:
        at = start
        for positions in slots[1:]:
            after = next((p for p in positions if p > at), None)
            if after is None or after - at > rule.span or not _PUNCTUATION.isdisjoint(text[at:after]):
                break
            at = after
        else:
            return start, at
    return None


def _distinct(window: list[tuple[int, int]], need: int) -> bool:
    """Whether each slot can take a word of its own: one word may stand for two
    concepts ("thinking aloud" is also "thinking") but fills one slot only."""
    options: list[set[int]] = [set() for _ in range(need)]
    for position, slot in window:
        options[slot].add(position)

    def assign(slot: int, used: frozenset[int]) -> bool:
        if slot == need:
            return True
        return any(assign(slot + 1, used | {p}) for p in options[slot] - used)

    # A slot with `need` choices can always take one: keep no more (bounds the search),
    # and try the scarce slots first.
    options = sorted((set(sorted(o)[:need]) for o in options), key=len)
    return assign(0, frozenset())


def matching(rules: Iterable[ConceptRule], hits: Hits, text: str) -> str | None:
    """Evidence for the first rule that matches, or None."""
    for rule in rules:
        window = first_match(rule, hits, text)
        if window is not None:
            start, end = window
            return f"{rule.label}: {text[start:end + 20][:80]!r}"
    return None
