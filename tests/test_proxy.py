"""Forwarding: bad input answered clearly in the API's shape, hop-by-hop headers,
upstream down or slow, client disconnect mid-stream."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from gateway.app import create_app
from gateway.decisions import ListSink
from tests.conftest import gateway_settings
from tests.servers import ServerThread, free_port

KEY = {"authorization": "Bearer sk-proxy-test"}


def test_missing_key_is_401_in_each_shape(gateway) -> None:
    url, sink, _ = gateway
    r = httpx.post(url + "/v1/chat/completions", json={"model": "m", "messages": []})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "missing_api_key"
    r = httpx.post(url + "/v1/messages", json={"model": "m", "messages": []})
    assert r.status_code == 401
    assert r.json() == {"type": "error", "error": {
        "type": "authentication_error", "message": r.json()["error"]["message"]}}
    assert [d.action for d in sink.decisions[-2:]] == ["reject", "reject"]
    assert not any(d.served for d in sink.decisions[-2:])


def test_malformed_json_is_400_and_never_forwarded(gateway, standin) -> None:
    url, sink, _ = gateway
    before = standin[0].requests
    r = httpx.post(url + "/v1/chat/completions", content=b'{"model": "m", "messages": [',
                   headers={**KEY, "content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_json"
    assert standin[0].requests == before
    assert sink.decisions[-1].reasons == ["reject:bad_json"]


def test_oversize_body_is_413(standin, enricher) -> None:
    sink = ListSink()
    app = create_app(gateway_settings(standin[1], max_body_bytes=2048), sink=sink,
                     enricher=enricher)
    with ServerThread(app) as server:
        r = httpx.post(server.url + "/v1/messages", headers={"x-api-key": "k"},
                       content=b'{"x": "' + b"a" * 5000 + b'"}')
    assert r.status_code == 413
    assert r.json()["error"]["type"] == "request_too_large"
    assert sink.decisions[-1].action == "reject"


def test_unsupported_media_type_is_415(gateway) -> None:
    url, _, _ = gateway
    r = httpx.post(url + "/v1/chat/completions", content=b"hello",
                   headers={**KEY, "content-type": "text/plain"})
    assert r.status_code == 415


def test_hop_by_hop_and_upstream_key(standin, enricher) -> None:
    app = create_app(gateway_settings(standin[1]), enricher=enricher)
    with ServerThread(app) as server:
        r = httpx.post(server.url + "/v1/chat/completions",
                       json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
                       headers={**KEY, "x-forwarded-for": "6.6.6.6", "proxy-authorization": "x",
                                "keep-alive": "timeout=5", "x-custom": "kept"})
    assert r.status_code == 200
    seen = standin[0].last_headers
    assert seen["x-custom"] == "kept"
    for dropped in ("proxy-authorization", "keep-alive", "x-forwarded-for"):
        assert dropped not in seen
    assert seen["authorization"] == "Bearer sk-proxy-test"


def test_upstream_key_replaces_client_key(standin, enricher) -> None:
    settings = gateway_settings(standin[1])
    settings = settings.model_copy(update={"upstream": settings.upstream.model_copy(
        update={"api_key": "sk-upstream"})})
    with ServerThread(create_app(settings, enricher=enricher)) as server:
        httpx.post(server.url + "/v1/messages", headers={"x-api-key": "sk-client"},
                   json={"model": "m", "max_tokens": 5, "messages": []})
    assert standin[0].last_headers["x-api-key"] == "sk-upstream"


def test_upstream_down_is_502(enricher) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    sink = ListSink()
    with ServerThread(create_app(gateway_settings(dead), sink=sink, enricher=enricher)) as server:
        r = httpx.post(server.url + "/v1/messages", headers={"x-api-key": "k"},
                       json={"model": "m", "max_tokens": 5, "messages": []})
        r2 = httpx.post(server.url + "/v1/chat/completions", headers=KEY,
                        json={"model": "m", "messages": []})
    assert r.status_code == 502
    assert r.json()["type"] == "error" and r.json()["error"]["type"] == "api_error"
    assert r2.status_code == 502 and r2.json()["error"]["code"] == "upstream_unavailable"
    assert sink.decisions[-1].status == 502 and not sink.decisions[-1].served


@pytest.mark.parametrize("transport", ["http1", "aiohttp"])
def test_upstream_slow_is_504(standin, enricher, transport) -> None:
    settings = gateway_settings(standin[1])
    settings = settings.model_copy(update={"upstream": settings.upstream.model_copy(
        update={"total_timeout": 0.3, "transport": transport})})
    with ServerThread(create_app(settings, enricher=enricher)) as server:
        started = time.perf_counter()
        r = httpx.post(server.url + "/v1/chat/completions",
                       headers={**KEY, "x-standin-latency-ms": "3000"},
                       json={"model": "m", "messages": []}, timeout=10)
        elapsed = time.perf_counter() - started
    assert r.status_code == 504
    assert r.json()["error"]["code"] == "upstream_timeout"
    assert elapsed < 2


def test_silent_stream_ends_at_the_read_timeout(standin, enricher) -> None:
    """A stream whose upstream goes quiet for longer than the read timeout is cut, and
    the decision says so; chunks that keep coming are never cut however long it runs."""
    settings = gateway_settings(standin[1])
    settings = settings.model_copy(update={"upstream": settings.upstream.model_copy(
        update={"read_timeout": 0.4})})
    sink = ListSink()
    body = {"model": "m", "stream": True, "max_tokens": 50,
            "messages": [{"role": "user", "content": "story"}]}
    with ServerThread(create_app(settings, sink=sink, enricher=enricher)) as server:
        started = time.perf_counter()
        quiet = httpx.post(server.url + "/v1/messages", json=body, timeout=10,
                           headers={"x-api-key": "sk-quiet", "x-standin-chunk-delay-ms": "1500"})
        elapsed = time.perf_counter() - started
        steady = httpx.post(server.url + "/v1/messages", json=body, timeout=10,
                            headers={"x-api-key": "sk-steady", "x-standin-chunk-delay-ms": "50",
                                     "x-standin-output-tokens": "30"})
    assert quiet.status_code == 200 and "message_stop" not in quiet.text
    # The stream ends with the API's own error event, which the SDKs raise.
    assert quiet.text.rstrip().endswith('"message": "Upstream stream ended early (timeout)."}}')
    assert "event: error" in quiet.text
    assert elapsed < 1.4
    assert steady.status_code == 200 and "message_stop" in steady.text
    by_account = {d.account: d for d in sink.decisions}
    assert len(by_account) == 2


def test_client_disconnect_closes_upstream_stream(gateway, standin) -> None:
    url, sink, _ = gateway
    host, port = url.removeprefix("http://").split(":")
    body = json.dumps({"model": "m", "stream": True, "max_tokens": 100,
                       "messages": [{"role": "user", "content": "long story"}]}).encode()
    request = (f"POST /v1/messages HTTP/1.1\r\nhost: {host}\r\nx-api-key: sk-disc\r\n"
               f"content-type: application/json\r\nx-standin-chunk-delay-ms: 200\r\n"
               f"x-standin-output-tokens: 400\r\ncontent-length: {len(body)}\r\n\r\n").encode()
    sock = socket.create_connection((host, int(port)))
    sock.sendall(request + body)
    first = sock.recv(4096)
    assert b"200" in first.split(b"\r\n", 1)[0]
    time.sleep(0.3)
    assert standin[0].open_streams >= 1
    sock.close()
    deadline = time.time() + 1.0
    while standin[0].open_streams and time.time() < deadline:
        time.sleep(0.02)
    assert standin[0].open_streams == 0, "upstream stream still open 1 s after the client left"
    deadline = time.time() + 2
    while not any(d.extra.get("client_disconnected") for d in sink.decisions):
        assert time.time() < deadline, "no decision recorded for the disconnected stream"
        time.sleep(0.02)


@pytest.mark.parametrize("path", ["/", "/nothing"])
def test_unknown_paths_are_404(gateway, path: str) -> None:
    url, _, _ = gateway
    assert httpx.get(url + path).status_code == 404


def test_admin_requires_token_and_metrics_count(gateway) -> None:
    url, _, _ = gateway
    assert httpx.get(url + "/_distillguard/health").json() == {"status": "ok"}
    assert httpx.get(url + "/_distillguard/policy").status_code == 401
    ok = httpx.get(url + "/_distillguard/policy",
                   headers={"authorization": "Bearer admin-secret"})
    assert ok.status_code == 200 and "restricted-regions" in ok.json()["rules"]
    config = httpx.get(url + "/_distillguard/config",
                       headers={"authorization": "Bearer admin-secret"}).json()
    assert config["key_secret"] == "***" and config["admin"]["token"] == "***"
    httpx.post(url + "/v1/chat/completions", headers=KEY, json={"model": "m", "messages": []})
    metrics = httpx.get(url + "/metrics").text
    assert 'distillguard_decisions_total{action="allow"' in metrics
    assert "distillguard_overhead_seconds_bucket" in metrics
    schema = httpx.get(url + "/_distillguard/openapi.json")
    assert schema.status_code == 200 and "/policy" in schema.json()["paths"]


def test_aiohttp_transport_still_works(standin, enricher) -> None:
    """The transport seam: the aiohttp client is the alternative to the built-in one."""
    settings = gateway_settings(standin[1])
    settings = settings.model_copy(update={"upstream": settings.upstream.model_copy(
        update={"transport": "aiohttp"})})
    with ServerThread(create_app(settings, enricher=enricher)) as server, httpx.stream(
            "POST", server.url + "/v1/messages", headers={"x-api-key": "k"},
            json={"model": "m", "stream": True, "max_tokens": 5, "messages": []}) as r:
        text = r.read().decode()
    assert r.status_code == 200 and "message_stop" in text


def test_pooled_connection_closed_by_upstream_is_retried(enricher) -> None:
    """A keep-alive connection that the upstream closed while idle (here: the upstream
    restarts) is replaced by a fresh one, not answered with 502."""
    from gateway.standin import StandIn

    port = free_port()
    with ServerThread(StandIn(), port=port) as upstream, \
            ServerThread(create_app(gateway_settings(upstream.url), enricher=enricher)) as server:
        first = httpx.post(server.url + "/v1/chat/completions", headers=KEY,
                           json={"model": "m", "messages": []})
        upstream.__exit__(None, None, None)
        with ServerThread(StandIn(), port=port):
            second = httpx.post(server.url + "/v1/chat/completions", headers=KEY,
                                json={"model": "m", "messages": []})
    assert first.status_code == 200 and second.status_code == 200


@pytest.mark.parametrize("path", ["/v1/messages", "/v1/chat/completions", "/v1/responses"])
def test_stream_usage_survives_any_chunking(path: str) -> None:
    """Usage read from a stream does not depend on where the network cut it: events
    split anywhere, even inside the word "usage", give the usage of the whole."""
    import random

    from gateway.apis import StreamUsage
    from gateway.upstream import Canned, sse_events

    stream = b"".join(sse_events(path, Canned(input_tokens=37, output_tokens=23)))
    whole = StreamUsage()
    whole.feed(stream)
    assert whole.usage.known and whole.usage.output_tokens == 23
    rng = random.Random(7)
    for _ in range(50):
        meter, at = StreamUsage(), 0
        while at < len(stream):
            step = rng.randint(1, 12)
            meter.feed(stream[at:at + step])
            at += step
        assert meter.usage == whole.usage and meter.output_bytes == len(stream)
