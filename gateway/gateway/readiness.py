"""The gateway's /readyz: every upstream's own readiness, the store as they see it, and the
state of each upstream's circuit breaker."""

import asyncio
from typing import Any

import httpx

from gateway.proxy import UpstreamPool


async def upstream_readiness(pool: UpstreamPool, timeout_s: float) -> dict[str, Any]:
    name, breaker = pool.upstream.name, pool.breaker.state.value
    try:
        response = await pool.client.get("/readyz", timeout=timeout_s)
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        reason = f"{name} unreachable: {type(error).__name__}"
        return {"status": "down", "error": reason, "breaker": breaker}
    store = (
        body.get("checks", {}).get("store", {"status": "unknown"})
        if isinstance(body, dict)
        else {"status": "unknown"}
    )
    status = "ok" if response.status_code == 200 else "down"
    return {"status": status, "store": store, "breaker": breaker}


async def readiness_report(
    pools: list[UpstreamPool], timeout_s: float
) -> tuple[bool, dict[str, Any]]:
    results = await asyncio.gather(*(upstream_readiness(pool, timeout_s) for pool in pools))
    checks: dict[str, Any] = dict(zip((p.upstream.name for p in pools), results, strict=True))
    checks["store"] = _store_as_seen_by(results)
    healthy = all(check["status"] == "ok" for check in checks.values())
    return healthy, {"status": "ok" if healthy else "degraded", "checks": checks}


def _store_as_seen_by(results: list[dict[str, Any]]) -> dict[str, Any]:
    views = [result["store"] for result in results if "store" in result]
    if not views:
        return {"status": "unknown", "error": "no service could report on the store"}
    return next((view for view in views if view.get("status") != "ok"), {"status": "ok"})
