"""The client persona: which software sent a request, from its user agent, its SDK
headers and the order of its header names. Accounts run by one operator's code share
a persona; people using the stock SDKs share a handful of common ones, which is why
the signal that reads it (`persona_spread`) only counts personas that are rare."""

from __future__ import annotations

import zlib
from collections.abc import Mapping

# Headers that identify the client software, beside the user agent.
_SDK_PREFIXES = ("x-stainless-",)
_SDK_HEADERS = frozenset({"anthropic-version", "anthropic-beta", "openai-beta", "accept",
                          "accept-encoding", "accept-language", "x-client-name",
                          "x-client-version", "http-referer", "x-title"})
# Headers whose presence or value varies per request or per hop, not per client.
_VOLATILE = frozenset({"authorization", "x-api-key", "content-length", "content-type", "host",
                       "x-request-id", "cookie", "x-forwarded-for", "forwarded", "x-real-ip",
                       "via", "traceparent", "tracestate", "idempotency-key",
                       "x-stainless-retry-count", "x-stainless-read-timeout",
                       "x-stainless-timeout"})


def persona_of(headers: Mapping[str, str]) -> int:
    """A 32-bit hash of the client's software signature; 0 when there is none."""
    ua = headers.get("user-agent", "")
    parts = [ua[:256]]
    names = []
    for name, value in headers.items():
        if name in _VOLATILE:
            continue
        names.append(name)
        if name in _SDK_HEADERS or name.startswith(_SDK_PREFIXES):
            parts.append(f"{name}={value[:128]}")
    if not ua and len(parts) == 1:
        return 0
    parts.append(",".join(names))
    return zlib.crc32("\n".join(parts).encode("utf-8", "replace")) or 1
