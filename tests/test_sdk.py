"""The official SDKs, sync and async, streaming and not, through the gateway to the
stand-in upstream: the SDKs' own parsed objects must match what the stand-in sent."""

from __future__ import annotations

import anthropic
import openai
import pytest

from gateway.upstream import Canned, json_answer

KEY = "sk-test-sdk-0001"


def expected_text(output_tokens: int = 20) -> str:
    doc = json_answer("/v1/chat/completions", Canned(output_tokens=output_tokens))
    return str(doc["choices"][0]["message"]["content"])


def test_openai_chat_sync(gateway) -> None:
    url, sink, _ = gateway
    client = openai.OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0)
    reply = client.chat.completions.create(
        model="gpt-test", messages=[{"role": "user", "content": "hello there friend"}])
    assert reply.choices[0].message.content == expected_text()
    assert reply.usage is not None and reply.usage.completion_tokens == 20
    assert reply.usage.prompt_tokens > 0
    decision = sink.decisions[-1]
    assert decision.action == "allow" and decision.served and decision.status == 200
    assert KEY not in decision.line(with_extra=True)


def test_openai_chat_stream_sync(gateway) -> None:
    url, _, _ = gateway
    client = openai.OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0)
    stream = client.chat.completions.create(
        model="gpt-test", messages=[{"role": "user", "content": "stream please"}], stream=True,
        stream_options={"include_usage": True})
    text, usage = "", None
    for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
        if chunk.usage is not None:
            usage = chunk.usage
    assert text == expected_text()
    assert usage is not None and usage.completion_tokens == 20


async def test_openai_async_stream_and_models(gateway) -> None:
    url, _, _ = gateway
    client = openai.AsyncOpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0)
    stream = await client.chat.completions.create(
        model="gpt-test", messages=[{"role": "user", "content": "async stream"}], stream=True)
    text = ""
    async for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
    assert text == expected_text()
    models = await client.models.list()
    assert [m.id for m in models.data] == ["stand-in-1"]
    embedding = await client.embeddings.create(model="emb", input="some text")
    assert embedding.data[0].embedding == [0.0, 0.1, 0.2]
    await client.close()


def test_openai_responses_and_completions(gateway) -> None:
    url, _, _ = gateway
    client = openai.OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0)
    response = client.responses.create(model="gpt-test", input="write a haiku")
    assert response.output_text == expected_text()
    assert response.usage is not None and response.usage.output_tokens == 20
    completion = client.completions.create(model="gpt-test", prompt="once upon")
    assert completion.choices[0].text == expected_text()


def test_anthropic_messages_sync(gateway) -> None:
    url, sink, _ = gateway
    client = anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=0)
    message = client.messages.create(model="claude-test", max_tokens=100,
                                     messages=[{"role": "user", "content": "hello"}])
    assert message.content[0].type == "text"
    assert message.content[0].text == expected_text()
    assert message.usage.output_tokens == 20
    count = client.messages.count_tokens(model="claude-test",
                                         messages=[{"role": "user", "content": "hello"}])
    assert count.input_tokens >= 1
    assert sink.decisions[-1].served


@pytest.mark.parametrize("asynchronous", [False, True])
async def test_anthropic_stream(gateway, asynchronous: bool) -> None:
    url, _, _ = gateway
    if asynchronous:
        client = anthropic.AsyncAnthropic(base_url=url, api_key=KEY, max_retries=0)
        async with client.messages.stream(model="claude-test", max_tokens=100, messages=[
                {"role": "user", "content": "stream"}]) as stream:
            message = await stream.get_final_message()
        await client.close()
    else:
        sync = anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=0)
        with sync.messages.stream(model="claude-test", max_tokens=100, messages=[
                {"role": "user", "content": "stream"}]) as stream:
            message = stream.get_final_message()
    assert message.content[0].text == expected_text()  # type: ignore[union-attr]
    assert message.usage.output_tokens == 20


def test_sdk_sees_error_shape_of_a_refusal(gateway) -> None:
    """A policy refusal arrives as the SDK's own typed error with the API's body."""
    url, _, _ = gateway
    client = anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=0,
                                 default_headers={"content-type": "text/plain"})
    with pytest.raises(anthropic.APIStatusError) as err:
        client.messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}],
                               extra_headers={"content-type": "text/plain"})
    assert err.value.status_code == 415
    body = err.value.body
    assert isinstance(body, dict) and body["type"] == "error"
    assert body["error"]["type"] == "invalid_request_error"


@pytest.fixture()
def quiet_gateway(standin, enricher):
    """A gateway whose upstream read timeout is short, to cut silent streams."""
    from gateway.app import create_app
    from gateway.decisions import ListSink
    from tests.conftest import gateway_settings
    from tests.servers import ServerThread

    settings = gateway_settings(standin[1])
    settings = settings.model_copy(update={"upstream": settings.upstream.model_copy(
        update={"read_timeout": 0.3})})
    with ServerThread(create_app(settings, sink=ListSink(), enricher=enricher)) as server:
        yield server.url


def test_sdks_raise_a_stream_cut_by_the_read_timeout(quiet_gateway) -> None:
    """A stream that goes silent upstream ends with the API's error event: both SDKs
    raise an API error rather than a broken connection or a silently short answer."""
    slow = {"x-standin-chunk-delay-ms": "1000"}
    client = anthropic.Anthropic(base_url=quiet_gateway, api_key=KEY, max_retries=0,
                                 default_headers=slow)
    with pytest.raises(anthropic.APIStatusError, match="ended early"), client.messages.stream(
            model="claude-test", max_tokens=50,
            messages=[{"role": "user", "content": "story"}]) as stream:
        for _ in stream:
            pass
    oai = openai.OpenAI(base_url=quiet_gateway + "/v1", api_key=KEY, max_retries=0,
                        default_headers=slow)
    with pytest.raises(openai.APIError, match="ended early"):
        for _ in oai.chat.completions.create(model="gpt-test", stream=True,
                                             messages=[{"role": "user", "content": "story"}]):
            pass
