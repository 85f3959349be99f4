"""/healthz and /readyz, the same on every service."""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

Check = Callable[[Request], Awaitable[dict[str, str]]]


def health_router(checks: dict[str, Check]) -> APIRouter:
    """`checks` maps a dependency name (e.g. "store") to a probe returning {"status": ...}."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz",
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
