"""The two API shapes we front: which one a path speaks, its error bodies, where its
token usage is, and how to read the prompt out of a request body."""

from __future__ import annotations

import json
import unicodedata
import zlib
from dataclasses import dataclass, field
from typing import Any, Literal

Shape = Literal["openai", "anthropic"]

ANTHROPIC_PATHS = ("/v1/messages", "/v1/complete")


def shape_of(path: str, headers: dict[str, str] | None = None) -> Shape:
    bare = path.split("?", 1)[0]
    if bare.startswith(ANTHROPIC_PATHS):
        return "anthropic"
    if headers and ("anthropic-version" in headers or "x-api-key" in headers):
        return "anthropic"
    return "openai"


_ANTHROPIC_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    451: "permission_error",
    500: "api_error",
    502: "api_error",
    503: "overloaded_error",
    504: "timeout_error",
}
_OPENAI_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_denied",
    413: "invalid_request_error",
    415: "invalid_request_error",
    429: "rate_limit_exceeded",
    451: "permission_denied",
}


def error_body(shape: Shape, status: int, message: str, code: str) -> bytes:
    if shape == "anthropic":
        kind = _ANTHROPIC_TYPES.get(status, "invalid_request_error" if status < 500 else "api_error")
        doc: dict[str, Any] = {"type": "error", "error": {"type": kind, "message": message}}
    else:
        kind = _OPENAI_TYPES.get(status, "invalid_request_error" if status < 500 else "api_error")
        doc = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return json.dumps(doc).encode()


def stream_error_event(shape: Shape, status: int, message: str, code: str) -> bytes:
    """The SSE event each API sends when a stream fails after it started: the SDKs
    raise it as an API error instead of reporting a cut connection."""
    body = error_body(shape, status, message, code)
    if shape == "anthropic":
        return b"event: error\ndata: " + body + b"\n\n"
    return b"data: " + body + b"\n\n"


@dataclass(slots=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    known: bool = False


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def usage_from_json(doc: Any) -> Usage:
    if not isinstance(doc, dict):
        return Usage()
    usage = doc.get("usage")
    if not isinstance(usage, dict):
        return Usage()
    if "input_tokens" in usage or "output_tokens" in usage:  # Anthropic, OpenAI Responses
        return Usage(_as_int(usage.get("input_tokens")), _as_int(usage.get("output_tokens")), True)
    return Usage(_as_int(usage.get("prompt_tokens")), _as_int(usage.get("completion_tokens")), True)


class StreamUsage:
    """Reads usage out of an SSE stream as it passes, chunk by chunk, without holding
    the stream: only an incomplete trailing line is kept between chunks."""

    MAX_LINE = 1 << 20

    def __init__(self) -> None:
        self.usage = Usage()
        self.output_bytes = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        self.output_bytes += len(chunk)
        data = self._tail + chunk if self._tail else chunk
        if b"usage" not in data:  # most events: keep only an unfinished last line
            self._tail = data[data.rfind(b"\n") + 1:]
            if len(self._tail) > self.MAX_LINE:
                self._tail = b""
            return
        lines = data.split(b"\n")
        self._tail = lines.pop()
        if len(self._tail) > self.MAX_LINE:
            self._tail = b""
        for line in lines:
            if line.startswith(b"data:") and b"usage" in line:
                self._event(line[5:].strip())

    def _event(self, payload: bytes) -> None:
        try:
            doc = json.loads(payload)
        except ValueError:
            return
        if not isinstance(doc, dict):
            return
        kind = doc.get("type")
        if kind == "message_start":  # Anthropic: input tokens up front
            message = doc.get("message")
            if isinstance(message, dict) and isinstance(message.get("usage"), dict):
                got = usage_from_json(message)
                self.usage.input_tokens = got.input_tokens
                self.usage.output_tokens = max(self.usage.output_tokens, got.output_tokens)
                self.usage.known = True
        elif kind == "message_delta":  # Anthropic: cumulative output tokens
            usage = doc.get("usage")
            if isinstance(usage, dict):
                self.usage.output_tokens = _as_int(usage.get("output_tokens"))
                if usage.get("input_tokens"):
                    self.usage.input_tokens = _as_int(usage.get("input_tokens"))
                self.usage.known = True
        elif kind == "response.completed":  # OpenAI Responses
            response = doc.get("response")
            got = usage_from_json(response)
            if got.known:
                self.usage = got
        elif isinstance(doc.get("usage"), dict):  # OpenAI chat/completions usage chunk
            got = usage_from_json(doc)
            if got.known:
                self.usage = got

    def estimate_output_tokens(self) -> int:
        """What was streamed, when no usage event arrived (e.g. a client disconnect)."""
        return max(self.usage.output_tokens, self.output_bytes // 16)


# --- reading the request -----------------------------------------------------


def _text_of(content: Any, out: list[str], budget: list[int]) -> None:
    if budget[0] <= 0:
        return
    if isinstance(content, str):
        piece = content[: budget[0]]
        out.append(piece)
        budget[0] -= len(piece)
    elif isinstance(content, list):
        for part in content:
            _text_of(part, out, budget)
    elif isinstance(content, dict):
        for name in ("text", "content", "input"):
            if name in content:
                _text_of(content[name], out, budget)


@dataclass(slots=True)
class Prompt:
    """What the signals read from a request body: bounded, never the whole body."""

    system: str = ""
    user: str = ""  # the last user turn, bounded
    turns: int = 0
    model: str = ""
    max_tokens: int | None = None
    stream: bool = False
    temperature: float | None = None
    top_p: float | None = None
    tools: int = 0
    tools_digest: str = ""
    thinking: bool = False
    logprobs: bool = False
    logit_bias: bool = False
    tool_results: int = 0
    # Hashes of user turns in the person's own words (tool results aside): the
    # conversation's first, the one before the last, and the last. A follow-up continues
    # a conversation when its first or its previous turn is one the account sent before.
    opening: int = 0
    previous: int = 0
    closing: int = 0
    chars: int = 0
    scans: dict[tuple[int, bool], str] = field(default_factory=dict)
    # A signal's (window, with system) -> the view's key: asked about a dozen times per
    # request by the content signals.
    views: dict[tuple[int, bool], tuple[int, bool]] = field(default_factory=dict)
    # Per scan window: the content signals' gate words present, and concept positions.
    found: dict[tuple[int, bool], tuple[set[str], dict[str, list[int]]]] = field(default_factory=dict)

    def scan_key(self, limit: int, with_system: bool) -> tuple[int, bool]:
        """The view's key. Without a system prompt both views are the same text; and
        any window that holds the whole prompt gives the same text as the smallest
        such window: each is scanned once (the wording's 2 KB and the layout's 8 KB
        are one text for most prompts)."""
        key = self.views.get((limit, with_system))
        if key is None:
            if with_system and self.system:
                key = (min(limit, max(len(self.user), 2 * len(self.system))), True)
            else:
                key = (min(limit, len(self.user)), False)
            self.views[(limit, with_system)] = key
        return key

    def scan_text(self, limit: int, with_system: bool) -> str:
        """Lower-cased head and tail of the user turn (and the system prompt's head),
        computed once per request and shared by every content signal."""
        key = self.scan_key(limit, with_system)
        text = self.scans.get(key)
        if text is None:
            limit = key[0]
            half = limit // 2
            user = self.user
            text = user if len(user) <= limit else user[:half] + "\n" + user[-half:]
            if with_system and self.system:
                text = self.system[:half] + "\n" + text
            text = text.lower()
            if not text.isascii():
                # One spelling per word: "re\u0301ponse" (decomposed, as some editors and
                # a client dodging the word lists send it) is read as "réponse".
                text = unicodedata.normalize("NFC", text)
            self.scans[key] = text
        return text


def turn_hash(content: Any) -> int:
    """A user turn's hash over its first 1,024 characters of text (0: no such turn)."""
    if content is None:
        return 0
    parts: list[str] = []
    _text_of(content, parts, [1024])
    return zlib.crc32("\n".join(parts).encode("utf-8", "replace"))


def read_prompt(body: Any, limit: int = 8192) -> Prompt:
    prompt = Prompt()
    if not isinstance(body, dict):
        return prompt
    model = body.get("model")
    prompt.model = model if isinstance(model, str) else ""
    for name in ("max_tokens", "max_completion_tokens", "max_output_tokens"):
        value = body.get(name)
        if isinstance(value, int):
            prompt.max_tokens = value
            break
    prompt.stream = body.get("stream") is True
    temperature, top_p = body.get("temperature"), body.get("top_p")
    prompt.temperature = float(temperature) if isinstance(temperature, int | float) else None
    prompt.top_p = float(top_p) if isinstance(top_p, int | float) else None
    thinking = body.get("thinking")
    prompt.thinking = (isinstance(thinking, dict) and thinking.get("type") == "enabled") or (
        body.get("reasoning_effort") is not None or isinstance(body.get("reasoning"), dict)
    )
    prompt.logprobs = bool(body.get("logprobs")) or body.get("top_logprobs") is not None
    prompt.logit_bias = bool(body.get("logit_bias"))
    tools = body.get("tools")
    if isinstance(tools, list) and tools:
        prompt.tools = len(tools)
        names = sorted(
            str(t.get("name") or (t.get("function") or {}).get("name") or "")
            for t in tools
            if isinstance(t, dict)
        )
        prompt.tools_digest = ",".join(names)[:512]
    system_parts: list[str] = []
    _text_of(body.get("system"), system_parts, [limit])
    messages = body.get("messages")
    if not isinstance(messages, list):
        messages = []
        for name in ("input", "prompt"):  # Responses and legacy completions
            value = body.get(name)
            if isinstance(value, str):
                messages = [{"role": "user", "content": value}]
            elif isinstance(value, list):
                messages = [m for m in value if isinstance(m, dict)] or [
                    {"role": "user", "content": value}
                ]
            if messages:
                break
        instructions = body.get("instructions")
        if isinstance(instructions, str):
            system_parts.append(instructions[:limit])
    last_user: Any = None
    previous_user: Any = None
    first_user: Any = None
    for message in messages:
        if not isinstance(message, dict):
            continue
        role = message.get("role")
        content = message.get("content")
        if role in ("system", "developer"):
            _text_of(content, system_parts, [limit])
        elif role == "user":
            prompt.turns += 1
            if first_user is None:
                first_user = content
            if isinstance(content, list):
                # Tool results are the output of files and commands, not what the person
                # asks: the user turn read by the signals is the last one in their words.
                own = [p for p in content if not (isinstance(p, dict) and p.get("type") == "tool_result")]
                prompt.tool_results += len(content) - len(own)
                if own:
                    previous_user, last_user = last_user, own
            else:
                previous_user, last_user = last_user, content
        elif role == "tool":
            prompt.tool_results += 1
    user_parts: list[str] = []
    _text_of(last_user, user_parts, [limit])
    prompt.opening = turn_hash(first_user)
    prompt.previous = turn_hash(previous_user)
    # One turn: the last is the first (hashed once).
    prompt.closing = prompt.opening if last_user is first_user else turn_hash(last_user)
    prompt.system = "\n".join(system_parts)[:limit]
    prompt.user = "\n".join(user_parts)[:limit]
    prompt.chars = len(prompt.system) + len(prompt.user)
    return prompt


def estimate_input_tokens(body_bytes: int) -> int:
    # About four bytes a token for English JSON; an estimate, corrected by usage later.
    return max(1, body_bytes // 4)
