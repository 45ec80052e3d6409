"""Every gate word of every content signal and every concept word, found in one pass
over the text (Aho-Corasick, the Rust `ahocorasick_rs`: about twice as fast here as
pyahocorasick): computed once per request and scan window, and shared by all content
signals."""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick_rs

from gateway.signals.concepts import Entry, Hits, bounded


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
        for i, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            word = gate[i]
            if word is not None:
                present.add(word)
            entry = entries[i]
            if entry is None or not bounded(entry, text, start, end):
                continue
            for concept in entry.concepts:
                positions = hits.get(concept)
                if positions is None:
                    hits[concept] = [start]
                elif positions[-1] != start:
                    positions.append(start)
        return present, hits
