"""Prompt template fingerprints: stable 64-bit hashes of a prompt's skeleton (digits
folded, case and spacing normalised) taken from the system prompt, the head and the
tail of the user turn, and the tool set. Two requests from one template share at
least one fingerprint even when the filled-in task differs."""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
import zlib

from gateway.apis import Prompt

# Words are folded on UTF-8 bytes with one C-level translate: ASCII punctuation splits
# words, digits vanish (so "Task 7" and "Task 1234" share a skeleton), non-ASCII letters
# stay. `re`'s \w+ cost 10x more on the hot path.
_PUNCT = (string.punctuation + "\t\n\r\x0b\x0c").encode()
_SPLIT = bytes.maketrans(_PUNCT, b" " * len(_PUNCT))
_DIGITS = string.digits.encode()


# Han, kana, Hangul, and Thai, Lao, Myanmar and Khmer are written without spaces
# between words: each character is a word, or a sentence would be one "word" and its
# template invisible (holdout-17's Thai instruction, three "words", had none).
_CJK = re.compile("([\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                  "\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef])")


def _words(text: str) -> list[bytes]:
    text = text.lower()
    if not text.isascii():
        # Composed and decomposed accents are one template (as in the scanned text).
        text = _CJK.sub(r" \1 ", unicodedata.normalize("NFC", text))
    return text.encode("utf-8", "replace").translate(_SPLIT, _DIGITS).split()


def _line_key(line: str, min_words: int) -> bytes | None:
    words = _words(line)
    return b" ".join(words) if len(words) >= min_words else None


def _h(kind: bytes, text: bytes) -> int:
    digest = hashlib.blake2b(kind + b"\0" + text, digest_size=8).digest()
    return int.from_bytes(digest, "big")


def fingerprints(
    prompt: Prompt, words: int = 12, min_system: int = 48, line_words: int = 4
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """(fingerprints, fillings, app parts): for each fingerprint, a hash of the rest of
    the prompt. A template is a fingerprint seen with many fillings; one prompt pasted
    by many people is a single filling, and no template. The app parts are the
    fingerprints of the system prompt and the tool set: what a client application
    sends for all of its users.

    Kinds: the system prompt; the first and last `words` words of the user turn; its
    first and last line when it has several (a template's fixed instruction often is a
    short line of its own around the filled-in task, shorter than `words`); the tools."""
    prints: list[int] = []
    fills: list[int] = []
    app: list[int] = []
    user = prompt.user
    head = _words(user[:200]) if user else []
    tail = _words(user[-200:]) if user else []
    head_key = b" ".join(head[:words])
    tail_key = b" ".join(tail[-words:])
    user_key = zlib.crc32(user[:4096].encode("utf-8", "replace"))
    if len(prompt.system) >= min_system:
        prints.append(_h(b"s", b" ".join(_words(prompt.system[:1024]))))
        fills.append(user_key)
        app.append(prints[-1])
    # Short prompts ("hi", "who are you") are everyone's: no template in them.
    if len(head) >= words:
        prints.append(_h(b"h", head_key))
        fills.append(zlib.crc32(tail_key))
    if len(tail) >= words and (len(user) > 200 or len(head) >= 2 * words):
        prints.append(_h(b"t", tail_key))
        fills.append(zlib.crc32(head_key))
    if "\n" in user:
        first = user[:400].lstrip().split("\n", 1)[0]
        last = user[-400:].rstrip().rsplit("\n", 1)[-1]
        for kind, line in ((b"hl", first), (b"tl", last)):
            key = _line_key(line, line_words)
            if key is not None:
                prints.append(_h(kind, key))
                fills.append(user_key)  # the line is fixed: the rest is what varies
    if prompt.tools_digest:
        prints.append(_h(b"tools", prompt.tools_digest.encode("utf-8", "replace")))
        fills.append(user_key)
        app.append(prints[-1])
    return tuple(prints), tuple(fills), tuple(app)


def prompt_hash(prompt: Prompt) -> int:
    """The whole prompt, bounded, without its digits: a pipeline that asks for 20, then
    40, then 50 items of one kind resamples one prompt. The turn counts are in it: an
    agent loop resends its task with a longer history each step, which is no
    resampling of one prompt."""
    seed = zlib.crc32(prompt.system[:1024].encode("utf-8", "replace"),
                      prompt.turns * 1009 + prompt.tool_results)
    return zlib.crc32(prompt.user[:4096].encode("utf-8", "replace").translate(None, _DIGITS), seed)
