"""/healthz and /readyz, the same on every service."""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

Check = Callable[[Request], Awaitable[dict[str, str]]]


def health_router(checks: dict[str, Check], service: str) -> APIRouter:
    """`checks` maps a dependency name (e.g. "store") to a probe returning {"status": ...}.
    `service` prefixes the operationIds: every service has these two routes, and the
    gateway's merged document needs each id once (`auth_health_live`)."""
    router = APIRouter(tags=["health"])
    resource = f"{service.replace('-', '_')}_health"

    @router.get("/healthz", name=f"{resource}_live", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz",
        name=f"{resource}_ready",
        summary="Every dependency answers",
        responses={503: {"description": "A dependency is down; `checks` names it"}},
    )
    async def readyz(request: Request) -> JSONResponse:
        results = {name: await check(request) for name, check in checks.items()}
        healthy = all(result["status"] == "ok" for result in results.values())
        return JSONResponse(
            {"status": "ok" if healthy else "degraded", "checks": results},
            status_code=200 if healthy else 503,
        )

    return router
