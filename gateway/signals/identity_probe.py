"""Model identity probing: "who are you", "what model are you". Harmless alone;
a distiller asks it to learn (and then overwrite) the teacher's self-description."""

from typing import ClassVar

from gateway.signals.patterns import PatternSignal, Rule


class IdentityProbe(PatternSignal):
    name: ClassVar[str] = "identity_probe"
    description: ClassVar[str] = "asks the model who or what it is"
    include_system: ClassVar[bool] = False
    strong: ClassVar[list[Rule]] = [
        (r"^\W*(who|what) (are|r) (you|u)\W*$",
         ('who', 'what')),
        (r"\b(who|which company|what company|what organi[sz]ation) (made|created|trained|built|developed)"
         r" you\b",
         ((" you",), ("made", "created", "trained", "built", "developed"))),
        (r"\bwhat (language )?model (are you|is this|powers you)\b",
         (("model",), ("are you", "is this", "powers you"))),
        (r"\b(your|the) (model name|system prompt|training cutoff|knowledge cutoff)\b",
         ("model name", "system prompt", "training cutoff", "knowledge cutoff")),
        (r"(你是谁|你叫什么|你是什么模型|谁(开发|训练|创造)了你)",
         ('你',)),
        (r"(кто ты|какая ты модель|кто тебя (создал|обучил))",
         ('ты', 'тебя')),
    ]
