"""Bulk-generation templates: asking for many diverse tasks, instructions or
examples at once, in a fixed format (the Alpaca generation prompt is the classic)."""

from typing import ClassVar

from gateway.signals.patterns import PatternSignal, Rule

ASKS = ("come up with", "generate", "create", "write", "produce", "give me")
VARIED = ("diverse", "different", "unique", "varied", "distinct", "new")


def many(nouns: tuple[str, ...]) -> Rule:
    """"Generate 20 diverse <nouns>": a count, a call for variety, plural nouns."""
    return (rf"\b({'|'.join(ASKS)})\b.{{0,30}}\b\d{{2,4}}\b.{{0,30}}\b({'|'.join(VARIED)})\b.{{0,30}}"
            rf"\b({'|'.join(nouns)})s\b", (ASKS, VARIED, nouns))


class BulkGeneration(PatternSignal):
    name: ClassVar[str] = "bulk_generation"
    description: ClassVar[str] = "asks for many synthetic tasks or examples at once"
    strong: ClassVar[list[Rule]] = [
        # Tasks and instructions for a model, not the questions or problems a teacher or
        # a recruiter asks for by the dozen (those are weak, below).
        many(("task", "instruction", "prompt", "example", "conversation")),
        (r"\b(task|instruction) instructions?\b.{0,60}\b(diverse|diversity)\b",
         (("instruction",), ("divers",))),
        (r"\bList of \d+ tasks\b",
         ('task', 'list of')),
        (r"\b(synthetic|training) (data|dataset|examples)\b.{0,60}\b(generate|create|produce)\b",
         (("synthetic", "training"), ("generate", "create", "produce"))),
        (r"\b(generate|create|produce)\b.{0,60}\b(synthetic|training) (data|dataset|examples)\b",
         (("synthetic", "training"), ("generate", "create", "produce"))),
        (r"(生成|编写)\s*\d+\s*(个|条|道).{0,10}(不同|多样)",
         ('生成', '编写')),
        # Training pairs by their schema, in any language of the request around it:
        # "question-answer pairs", or a record to fill whose keys are a prompt and its
        # answer ({"instruction": "...", "output": "..."}), the Alpaca and chat-dataset
        # layouts.
        (r"\b(instruction|question|prompt|input|q)s?[-/ ](and |& |/)?(answer|response|output|completion|a)s?"
         r" pairs\b",
         (("pairs",), ("instruction", "question", "prompt", "input", "q"))),
        (r"[\"'](instruction|prompt|question|input)[\"']\s*:\s*[\"']?(\.\.\.|…|<[^>\n]{0,30}>)[\"']?"
         r"\s*,\s*[\"'](output|response|answer|completion)[\"']",
         (("instruction", "prompt", "question", "input"), ("output", "response", "answer", "completion"))),
    ]
    weak: ClassVar[list[Rule]] = [many(("question", "problem", "sample"))]
