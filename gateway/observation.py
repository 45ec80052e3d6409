"""What the pipeline knows about one request after identify and enrich: the input of
every signal and rule. Built once per request; stages after it only read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.apis import Prompt, Shape
from gateway.enrich import NetworkFacts
from gateway.fingerprint import fingerprints, prompt_hash
from gateway.identity import Account

MIN_REPEAT_CHARS = 64  # "hi" repeated is chat, not resampling


@dataclass(slots=True)
class Observation:
    id: str
    ts: float
    method: str
    path: str
    shape: Shape
    headers: dict[str, str]
    account: Account
    network: NetworkFacts
    prompt: Prompt
    body_bytes: int
    forwarded_untrusted: bool = False
    persona: int = 0  # the client software's signature (gateway.persona)
    # Derived from the prompt here, once, the same way for the engine, replay, benches
    # and tests.
    fingerprints: tuple[int, ...] = field(init=False)  # prompt template fingerprints
    fillings: tuple[int, ...] = field(init=False)  # per fingerprint, the rest of the prompt
    app_prints: tuple[int, ...] = field(init=False)  # those of the system prompt and tools
    prompt_hash: int = field(init=False)  # the whole prompt (bounded); 0 when too short

    def __post_init__(self) -> None:
        self.fingerprints, self.fillings, self.app_prints = fingerprints(self.prompt)
        self.prompt_hash = prompt_hash(self.prompt) if self.prompt.chars >= MIN_REPEAT_CHARS else 0
