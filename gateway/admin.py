"""The admin API (FastAPI: its OpenAPI schema is the admin contract). Health and
readiness are open (load balancers call them); everything else needs the admin
bearer token. slowapi guards the admin routes' own rate, off the proxy path."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from gateway import __version__

if TYPE_CHECKING:
    from gateway.app import Gateway


def create_admin(gateway: Gateway) -> FastAPI:
    # An empty, pinned config file: a stray .env in the working directory must not
    # reconfigure slowapi (a known pitfall).
    limiter = Limiter(key_func=get_remote_address, storage_uri="memory://",
                      key_style="endpoint", config_filename=str(Path(__file__).with_name("admin.env")))
    app = FastAPI(title="distillguard admin", version=__version__)
    app.state.limiter = limiter
    app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)  # type: ignore[arg-type]
    token = gateway.settings.admin.token

    def authorised(request: Request) -> None:
        if not token:
            raise HTTPException(503, "admin token not configured")
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise HTTPException(401, "admin token required", {"www-authenticate": "Bearer"})

    auth = [Depends(authorised)]

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready")
    async def ready() -> JSONResponse:
        ok, detail = await gateway.readiness()
        return JSONResponse({"ready": ok, **detail}, status_code=200 if ok else 503)

    @app.get("/version")
    async def version() -> dict[str, str]:
        return {"version": __version__}

    @app.get("/config", dependencies=auth)
    @limiter.limit("60/minute")
    async def config(request: Request) -> dict[str, Any]:
        data = gateway.settings.model_dump(mode="json")
        data["key_secret"] = "***"
        data["admin"]["token"] = "***"
        if data["upstream"].get("api_key"):
            data["upstream"]["api_key"] = "***"
        return data

    @app.get("/policy", dependencies=auth)
    @limiter.limit("60/minute")
    async def policy(request: Request) -> dict[str, Any]:
        store = gateway.policies
        return {
            "revision": store.current.revision,
            "sources": list(store.current.sources),
            "rules": [r.id for r in store.current.rules],
            "reloads": store.reloads,
            "failures": store.failures,
            "last_error": store.last_error,
        }

    @app.post("/policy/reload", dependencies=auth)
    @limiter.limit("10/minute")
    async def reload(request: Request) -> dict[str, Any]:
        changed = gateway.policies.reload()
        if gateway.policies.last_error:
            gateway.metrics.policy_reload_failures.inc()
        return {"changed": changed, "revision": gateway.policies.current.revision,
                "error": gateway.policies.last_error}

    @app.get("/accounts/{account}", dependencies=auth)
    @limiter.limit("120/minute")
    async def account(request: Request, account: str) -> dict[str, Any]:
        from gateway.explain import explain

        found = explain(gateway.engine, account)
        if found is None:
            raise HTTPException(404, f"account {account!r} is not tracked")
        return found

    return app
