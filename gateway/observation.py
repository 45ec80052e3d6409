"""What the pipeline knows about one request after identify and enrich: the input of
every signal and rule. Built once per request; stages after it only read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.apis import Prompt, Shape
from gateway.enrich import NetworkFacts
from gateway.identity import Account


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
    fingerprints: tuple[int, ...] = field(default=())  # prompt template fingerprints
    fillings: tuple[int, ...] = field(default=())  # per fingerprint, the rest of the prompt
    app_prints: tuple[int, ...] = field(default=())  # those of the system prompt and tools
    prompt_hash: int = 0  # the whole prompt (bounded)
    persona: int = 0  # the client software's signature (gateway.persona)
