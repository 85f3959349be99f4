"""The gateway's /readyz: every upstream's own readiness, and the store as they see it."""

import asyncio
from typing import Any

import httpx

from gateway.settings import Upstream


async def upstream_readiness(
    upstream: Upstream, client: httpx.AsyncClient, timeout_s: float
) -> dict[str, Any]:
    try:
        response = await client.get("/readyz", timeout=timeout_s)
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        return {"status": "down", "error": f"{upstream.name} unreachable: {type(error).__name__}"}
    store = body.get("checks", {}).get("store", {"status": "unknown"})
    return {"status": "ok" if response.status_code == 200 else "down", "store": store}


async def readiness_report(
    upstreams: list[Upstream], clients: dict[str, httpx.AsyncClient], timeout_s: float
) -> tuple[bool, dict[str, Any]]:
    results = await asyncio.gather(
        *(upstream_readiness(u, clients[u.name], timeout_s) for u in upstreams)
    )
    checks: dict[str, Any] = dict(zip((u.name for u in upstreams), results, strict=True))
    checks["store"] = _store_as_seen_by(results)
    healthy = all(check["status"] == "ok" for check in checks.values())
    return healthy, {"status": "ok" if healthy else "degraded", "checks": checks}


def _store_as_seen_by(results: list[dict[str, Any]]) -> dict[str, Any]:
    views = [result["store"] for result in results if "store" in result]
    if not views:
        return {"status": "unknown", "error": "no service could report on the store"}
    return next((view for view in views if view.get("status") != "ok"), {"status": "ok"})
