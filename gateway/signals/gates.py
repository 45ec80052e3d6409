"""Every gate word of every content signal, found in one pass over the text
(Aho-Corasick, C extension): the present words are computed once per request and
scan window, and shared by all content signals."""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick


class WordIndex:
    def __init__(self, words: Iterable[str]) -> None:
        self.automaton = ahocorasick.Automaton()
        for word in sorted(set(words)):
            self.automaton.add_word(word, word)
        self.automaton.make_automaton()

    def present(self, text: str) -> set[str]:
        return {word for _, word in self.automaton.iter(text)}
