"""The pipelined script client of the Redis hot path, against the real Redis: the
database of the URL, a script the server forgot, pipelined calls, a server that never
answers, and one that is not there."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from gateway.state.resp import ScriptClient

URL = "redis://127.0.0.1:6379/15"
SCRIPT = "redis.call('INCRBY', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])"


@pytest.fixture()
def db15() -> redis.Redis:
    client = redis.Redis.from_url(URL)
    client.flushdb()
    yield client
    client.flushdb()


async def test_scripts_run_in_the_urls_database_and_survive_a_script_flush(db15: redis.Redis) -> None:
    sha = db15.script_load(SCRIPT)
    client = ScriptClient(URL, timeout=1.0)
    assert await client.evalsha(sha, SCRIPT, ["k"], [2]) == b"2"
    db15.script_flush()  # as after a restart: EVALSHA answers NOSCRIPT
    assert await client.evalsha(sha, SCRIPT, ["k"], [3]) == b"5"
    # Pipelined: many calls in flight on few connections, answered in order.
    results = await asyncio.gather(*(client.evalsha(sha, SCRIPT, ["n"], [1]) for _ in range(200)))
    assert sorted(int(r) for r in results) == list(range(1, 201))
    assert db15.get("k") == b"5" and db15.get("n") == b"200"
    with pytest.raises(ResponseError):
        await client.evalsha(sha, SCRIPT, ["k"], ["not a number"])
    assert await client.evalsha(sha, SCRIPT, ["k"], [1]) == b"6"  # the connection lives on
    await client.aclose()


async def test_a_silent_server_times_out_and_a_missing_one_is_a_connection_error() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    port = silent.getsockname()[1]
    client = ScriptClient(f"redis://127.0.0.1:{port}", timeout=0.3)
    started = time.perf_counter()
    with pytest.raises(RedisTimeoutError):
        await client.evalsha("0" * 40, SCRIPT, ["k"], [1])
    assert time.perf_counter() - started < 1.5
    await client.aclose()
    silent.close()
    gone = ScriptClient(f"redis://127.0.0.1:{port}", timeout=0.3)
    with pytest.raises(RedisConnectionError):
        await gone.evalsha("0" * 40, SCRIPT, ["k"], [1])
    await gone.aclose()


def test_only_plain_redis_urls() -> None:
    with pytest.raises(ValueError, match="plain redis://"):
        ScriptClient("rediss://127.0.0.1:6379", timeout=1.0)


async def test_password_and_database_from_the_url(tmp_path) -> None:
    """A private redis-server that requires a password: the right one works (in the
    URL's database), a wrong one is a clear error, not a hang."""
    from tests.servers import free_port
    from tests.test_limits import _plain, _start, _wait

    port = free_port()
    server = _start([*_plain(port, tmp_path), "--requirepass", "s3cret"])
    try:
        _wait(port)
        client = ScriptClient(f"redis://:s3cret@127.0.0.1:{port}/3", timeout=1.0)
        assert await client.evalsha("0" * 40, SCRIPT, ["k"], [4]) == b"4"
        assert redis.Redis(port=port, password="s3cret", db=3).get("k") == b"4"
        await client.aclose()
        wrong = ScriptClient(f"redis://:nope@127.0.0.1:{port}", timeout=1.0)
        with pytest.raises(ResponseError, match=r"WRONGPASS|invalid"):
            await wrong.evalsha("0" * 40, SCRIPT, ["k"], [1])
        await wrong.aclose()
    finally:
        server.terminate()
        server.wait(timeout=5)
