"""Every gate word of every content signal and every concept word, found in one pass
over the text (Aho-Corasick, the Rust `ahocorasick_rs`: about twice as fast here as
pyahocorasick): computed once per request and scan window, and shared by all content
signals."""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick_rs

from gateway.signals.concepts import Entry, Hits


class WordIndex:
    def __init__(self, words: Iterable[str], concepts: dict[str, Entry]) -> None:
        gates = set(words)
        self.words = sorted(gates | set(concepts))
        # Per word: itself if it gates a regex (else None), and its concept entry.
        self.gate = [word if word in gates else None for word in self.words]
        self.entries = [concepts.get(word) for word in self.words]
        # Overlapping matches: a gate word inside another ("reason" in "reasoning")
        # must be found too. The DFA: a larger build, a faster scan (about 10% here).
        self._automaton = ahocorasick_rs.AhoCorasick(
            self.words, implementation=ahocorasick_rs.Implementation.DFA)

    def scan(self, text: str) -> tuple[set[str], Hits]:
        """The gate words present, and each concept's word positions (in order)."""
        gate, entries = self.gate, self.entries
        present: set[str] = set()
        hits: Hits = {}
        size = len(text)
        for i, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            word = gate[i]
            if word is not None:
                present.add(word)
            entry = entries[i]
            if entry is None:
                continue
            # A word must start (`left`) or end (`right`) at a word boundary. Inline:
            # this runs for every match (about 70 on 2 KB), where a call per match cost
            # a twentieth of all signals' time.
            if entry.left and start and ((before := text[start - 1]).isalnum() or before == "_"):
                continue
            if entry.right and end < size and ((after := text[end]).isalnum() or after == "_"):
                continue
            if entry.needs and not any(letter in text for letter in entry.needs):
                continue
            for concept in entry.concepts:
                positions = hits.get(concept)
                if positions is None:
                    hits[concept] = [start]
                elif positions[-1] != start:
                    positions.append(start)
        return present, hits
