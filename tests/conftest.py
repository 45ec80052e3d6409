from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.app import create_app
from gateway.decisions import ListSink
from gateway.enrich import Enricher
from gateway.settings import ROOT, Settings
from gateway.standin import StandIn
from tests.servers import ServerThread

MAXMIND = ROOT / "tests/data/maxmind/test-data"
POLICIES = ROOT / "tests/policies"


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    """The shipped real databases, opened once for the whole run."""
    return Enricher(Settings().databases)


@pytest.fixture(scope="session")
def standin() -> Iterator[tuple[StandIn, str]]:
    app = StandIn()
    with ServerThread(app) as server:
        yield app, server.url


def gateway_settings(upstream: str, **extra: object) -> Settings:
    base = {
        "upstream": {"url": upstream, "total_timeout": 30, "read_timeout": 10},
        "admin": {"token": "admin-secret"},
        "key_secret": "test-secret",
        **extra,
    }
    return Settings.model_validate(base)


@pytest.fixture()
def gateway(standin: tuple[StandIn, str], enricher: Enricher) -> Iterator[tuple[str, ListSink,
                                                                                 object]]:
    """A real gateway on loopback in front of the stand-in upstream."""
    sink = ListSink()
    app = create_app(gateway_settings(standin[1]), sink=sink, enricher=enricher)
    with ServerThread(app) as server:
        yield server.url, sink, app


@pytest.fixture()
def tmp_policy(tmp_path: Path) -> Path:
    return tmp_path / "policy.yaml"
