"""The gateway's app factory: upstream clients live for the app's lifespan."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from gateway.proxy import forward, make_client
from gateway.readiness import readiness_report
from gateway.settings import GatewaySettings, Upstream
from platform_common.errors import install_error_handlers
from platform_common.logging import configure_logging
from platform_common.middleware import RequestContextMiddleware

API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    configure_logging("gateway", settings.log_level)
    upstreams = settings.upstreams()
    shell = Upstream(name="shell", url=settings.shell_url, prefix="/shell")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            app.state.clients = {
                u.name: await stack.enter_async_context(make_client(u)) for u in [*upstreams, shell]
            }
            yield

    app = FastAPI(title="Platform gateway", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.add_middleware(RequestContextMiddleware)
    install_error_handlers(app)

    @app.get("/healthz", tags=["health"], summary="The gateway process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], summary="Every upstream and the store answer")
    async def readyz(request: Request) -> JSONResponse:
        healthy, report = await readiness_report(
            upstreams, request.app.state.clients, settings.readiness_timeout_s
        )
        return JSONResponse(report, status_code=200 if healthy else 503)

    for upstream in upstreams:
        _add_upstream_route(app, upstream)

    @app.get("/shell/{path:path}", include_in_schema=False)
    async def shell_asset(request: Request, path: str) -> Response:
        return await forward(request, shell, request.app.state.clients["shell"], f"/{path}")

    @app.get("/{path:path}", include_in_schema=False)
    async def shell_page(request: Request, path: str) -> Response:
        return await forward(request, shell, request.app.state.clients["shell"], "/index.html")

    return app


def _add_upstream_route(app: FastAPI, upstream: Upstream) -> None:
    async def to_upstream(request: Request, path: str) -> Response:
        return await forward(
            request, upstream, request.app.state.clients[upstream.name], f"/{path}"
        )

    app.add_api_route(
        f"{upstream.prefix}/{{path:path}}",
        to_upstream,
        methods=API_METHODS,
        include_in_schema=False,
        name=f"proxy_{upstream.name}",
    )
