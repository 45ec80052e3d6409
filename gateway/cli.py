"""distillguard: serve | upstream | check | replay | simulate | explain."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import sys
from pathlib import Path
from typing import Any

from gateway.settings import Settings, SettingsError, load_settings

GC_YOUNG = 50_000  # allocations between young-generation collections (default 700)


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[tuple[str, ...], Any] = {}
    if getattr(args, "host", None):
        overrides[("host",)] = args.host
    if getattr(args, "port", None) is not None:
        overrides[("port",)] = args.port
    if getattr(args, "upstream", None):
        overrides[("upstream", "url")] = args.upstream
    if getattr(args, "policy", None):
        overrides[("policy",)] = [str(p) for p in args.policy]
    if getattr(args, "shadow", False):
        overrides[("shadow",)] = True
    if getattr(args, "accounts", None):
        overrides[("accounts",)] = str(args.accounts)
    return load_settings(args.config, overrides)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.app import create_app

    settings = _settings(args)
    servers = []
    if settings.upstream.url is None:
        # Embedded default: the stand-in upstream on the next port, so the quick start
        # works with no network.
        from gateway.standin import StandIn

        port = settings.port + 1
        settings = settings.model_copy(update={"upstream": settings.upstream.model_copy(
            update={"url": f"http://127.0.0.1:{port}"})})
        servers.append(uvicorn.Server(uvicorn.Config(
            StandIn(), host="127.0.0.1", port=port, log_level="warning", loop="uvloop",
            http="httptools")))
        logging.getLogger("distillguard").warning(
            "no upstream configured: forwarding to the built-in stand-in on port %d", port)
    app = create_app(settings)
    servers.append(uvicorn.Server(uvicorn.Config(
        app, host=settings.host, port=settings.port, log_level="info", loop="uvloop",
        http="httptools", access_log=False, lifespan="on", proxy_headers=False,
        server_header=False, date_header=False)))

    async def run() -> None:
        await asyncio.gather(*(s.serve() for s in servers))

    # The behaviour state is many long-lived small objects: move what start-up built out
    # of the collector's sight and collect the young generation less often, so full
    # collections (pauses of tens of ms under load) are rare.
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, 20, 50)
    # uvicorn picks uvloop only in its own runner; ours serves two apps on one loop.
    try:
        import uvloop

        uvloop.run(run())
    except ImportError:
        asyncio.run(run())
    return 0


def cmd_upstream(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.standin import StandIn

    uvicorn.run(StandIn(args.latency_ms, args.output_tokens, args.chunk_delay_ms),
                host=args.host, port=args.port, log_level="warning", loop="uvloop",
                http="httptools", access_log=False)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from gateway.policy.loader import PolicyError, compile_policy

    try:
        policy = compile_policy(args.paths)
    except PolicyError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"ok: {len(policy.rules)} rules, {len(policy.signals)} signals, revision "
          f"{policy.revision}")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from gateway.replay.command import run_replay

    return run_replay(args, _settings(args))


def cmd_simulate(args: argparse.Namespace) -> int:
    from gateway.simulate.generator import run_simulation

    return run_simulation(args.scenario, args.seed, args.scale, args.out, args.accounts_out)


def cmd_explain(args: argparse.Namespace) -> int:
    """Replay traffic, then explain one account as the engine saw it at the end."""
    from gateway.explain import explain
    from gateway.replay.reader import read_traffic
    from gateway.replay.runner import build_gateway, replay_fast

    settings = _settings(args)
    gateway, sink, clock = build_gateway(settings)

    async def run() -> None:
        with _open_in(args.traffic) as lines:
            async for _ in replay_fast(gateway, clock, sink, read_traffic(lines)):
                pass

    asyncio.run(run())
    found = explain(gateway.engine, args.account)
    if found is None:
        print(f"account {args.account!r} not seen", file=sys.stderr)
        return 1
    print(json.dumps(found, indent=2))
    return 0


class _open_in:
    def __init__(self, path: str) -> None:
        self.path = path
        self.handle: Any = None

    def __enter__(self) -> Any:
        self.handle = sys.stdin if self.path == "-" else open(self.path)
        return self.handle

    def __exit__(self, *exc: object) -> None:
        if self.handle is not sys.stdin:
            self.handle.close()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="distillguard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", type=Path, help="deployment settings YAML")
        p.add_argument("--policy", type=Path, action="append", help="policy file (repeatable)")
        p.add_argument("--shadow", action="store_true", help="decide and log, refuse nothing")

    p = sub.add_parser("serve", help="run the gateway")
    common(p)
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--upstream", help="upstream base URL (default: built-in stand-in)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("upstream", help="run the stand-in model API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8081)
    p.add_argument("--latency-ms", type=float, default=0.0)
    p.add_argument("--output-tokens", type=int, default=20)
    p.add_argument("--chunk-delay-ms", type=float, default=0.0)
    p.set_defaults(func=cmd_upstream)

    p = sub.add_parser("check", help="validate policy files")
    p.add_argument("paths", nargs="+", type=Path)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("replay", help="replay a traffic file")
    common(p)
    p.add_argument("traffic", help="traffic JSON Lines, or - for stdin")
    p.add_argument("--accounts", type=Path)
    p.add_argument("--decisions", required=True, help="output decisions file, or -")
    p.add_argument("--mode", choices=["fast", "asgi"], default="fast")
    p.add_argument("--against", help="send to a running gateway at this URL instead")
    p.add_argument("--speed", type=float, default=0.0, help="pace by ts × this (0: flat out)")
    p.add_argument("--report", type=Path, help="write a self-contained HTML report")
    p.add_argument("--metrics-json", type=Path, help="write the metrics as JSON")
    p.add_argument("--compare", type=Path, help="second policy to compare against")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("simulate", help="write labelled traffic from a scenario")
    p.add_argument("--scenario", required=True, help="scenario name or YAML file")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--out", required=True, help="output directory, or - for traffic on stdout")
    p.add_argument("--accounts-out", help="also write the accounts directory here (before the traffic)")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("explain", help="replay traffic and explain an account's score")
    common(p)
    p.add_argument("account")
    p.add_argument("--traffic", required=True)
    p.add_argument("--accounts", type=Path)
    p.set_defaults(func=cmd_explain)

    args = parser.parse_args(argv)
    from gateway.enrich import DatabaseError, ListError
    from gateway.identity import AccountsError
    from gateway.policy.loader import PolicyError

    try:
        return int(args.func(args))
    except (SettingsError, DatabaseError, ListError, AccountsError) as exc:
        print(f"distillguard: {exc}", file=sys.stderr)
        return 2
    except PolicyError as exc:
        print("distillguard: invalid policy:\n" + str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
