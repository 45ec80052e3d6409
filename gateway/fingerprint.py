"""Prompt template fingerprints: stable 64-bit hashes of a prompt's skeleton (digits
folded, case and spacing normalised) taken from the system prompt, the head and the
tail of the user turn, and the tool set. Two requests from one template share at
least one fingerprint even when the filled-in task differs."""

from __future__ import annotations

import hashlib
import re
import zlib

from gateway.apis import Prompt

_WORD = re.compile(r"\w+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


def _h(kind: str, text: str) -> int:
    digest = hashlib.blake2b(f"{kind}\0{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def fingerprints(
    prompt: Prompt, words: int = 12, min_system: int = 48
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(fingerprints, fillings): for each fingerprint, a hash of the rest of the prompt.
    A template is a fingerprint seen with many fillings; one prompt pasted by many
    people is a single filling, and no template."""
    prints: list[int] = []
    fills: list[int] = []
    user = prompt.user
    head = _WORD.findall(_DIGITS.sub("0", user[:200].lower())) if user else []
    tail = _WORD.findall(_DIGITS.sub("0", user[-200:].lower())) if user else []
    head_key = " ".join(head[:words])
    tail_key = " ".join(tail[-words:])
    user_key = zlib.crc32(user[:4096].encode("utf-8", "replace"))
    if len(prompt.system) >= min_system:
        system = " ".join(_DIGITS.sub("0", prompt.system[:1024].lower()).split())
        prints.append(_h("s", system))
        fills.append(user_key)
    # Short prompts ("hi", "who are you") are everyone's: no template in them.
    if len(head) >= words:
        prints.append(_h("h", head_key))
        fills.append(zlib.crc32(tail_key.encode()))
    if len(tail) >= words and (len(user) > 200 or len(head) >= 2 * words):
        prints.append(_h("t", tail_key))
        fills.append(zlib.crc32(head_key.encode()))
    if prompt.tools_digest:
        prints.append(_h("tools", prompt.tools_digest))
        fills.append(user_key)
    return tuple(prints), tuple(fills)


def prompt_hash(prompt: Prompt) -> int:
    return zlib.crc32(prompt.user[:4096].encode("utf-8", "replace"),
                      zlib.crc32(prompt.system[:1024].encode("utf-8", "replace")))
