"""The gateway's app factory: upstream pools, edge auth, limits, docs and the shell page."""

import hmac
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.client_connections import ConnectionsPerClient
from gateway.docs_pages import ASSET_FILES, REDOC_BUNDLE, redoc_bundle, redoc_page, swagger_ui_page
from gateway.edge import EdgeMiddleware
from gateway.edge_auth import EdgeAuth
from gateway.errors import GatewayErrorCode
from gateway.limits import GatewayRateLimiter, storage_for
from gateway.metrics import GatewayMetrics
from gateway.openapi import EDGE_ERRORS, OpenAPIMerger
from gateway.proxy import BodyDeadline, Forwarder, UpstreamPool, json_error, make_pool
from gateway.readiness import readiness_report
from gateway.routes import ApiProxy, Dispatcher
from gateway.settings import GatewaySettings
from gateway.shell import ShellPage
from platform_common.api_docs import documented_openapi
from platform_common.errors import error_responses, install_error_handlers
from platform_common.logging import configure_logging
from platform_common.operation_ids import operation_id
from platform_common.production import ensure_production_ready
from platform_common.tokens import JWKSVerifier, revocation_follower

GATEWAY_PATHS = (
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/docs",
    "/redoc",
    "/robots.txt",
)
GATEWAY_TAG = {"name": "gateway", "description": "The gateway's own health and metrics"}
# Crawlers may index the sign-in page; nothing else is for them.
ROBOTS_TXT = """User-agent: *
Allow: /login
Allow: /$
Disallow: /
"""
# Only text is worth compressing; event streams must never wait in a compressor.
NOT_COMPRESSED = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,
    "application/octet-stream",
    "application/zip",
    "application/gzip",
    "application/pdf",
    "audio/*",
    "image/*",
    "font/*",
)
API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
CORS_EXPOSED = [
    "x-request-id",
    "retry-after",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
]


class GatewayApp(FastAPI):
    """FastAPI for the gateway's own routes, behind one lean ASGI stack for every HTTP request:
    the edge layer, CORS, gzip, then proxied paths straight to the proxy (no FastAPI routing,
    dependency or exception layers per request) and the rest to FastAPI."""

    edge: ASGIApp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.edge(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

    async def fastapi(self, scope: Scope, receive: Receive, send: Send) -> None:
        await super().__call__(scope, receive, send)


class CompressWhenAccepted:
    """Only requests that accept gzip pass through the compressor (which otherwise still
    wraps every response it will not compress)."""

    def __init__(self, app: ASGIApp, compressor: ASGIApp) -> None:
        self.app = app
        self.compressor = compressor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        accepts_gzip = scope["type"] == "http" and any(
            name == b"accept-encoding" and b"gzip" in value for name, value in scope["headers"]
        )
        await (self.compressor if accepts_gzip else self.app)(scope, receive, send)


def create_app(settings: GatewaySettings | None = None) -> GatewayApp:
    settings = settings or GatewaySettings()
    configure_logging("gateway", settings.log_level)
    ensure_production_ready(settings)
    # httpx logs every call at INFO; the access log already has the proxied ones, with timing.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    metrics = GatewayMetrics()
    pools = [make_pool(upstream) for upstream in settings.upstreams()]
    shell_pool = make_pool(settings.shell_upstream())
    jwks_http = httpx.AsyncClient(trust_env=False)
    verifier = JWKSVerifier(
        jwks_url=settings.jwks_endpoint(),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        http=jwks_http,
    )
    edge_auth = EdgeAuth(settings.public_paths, verifier)
    limiter = (
        GatewayRateLimiter(
            settings.rate_limits,
            storage_for(settings.rate_limit_storage_url),
            settings.rate_limit_strategy,
        )
        if settings.rate_limits_enabled
        else None
    )
    forwarder = Forwarder(
        metrics,
        BodyDeadline(settings.client_body_timeout_s, settings.client_body_min_bytes_per_s),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for pool in [*pools, shell_pool]:
            await pool.open()
        async with revocation_follower(verifier, settings, jwks_http).running():
            yield
        for pool in [*pools, shell_pool]:
            await pool.close()
        await jwks_http.aclose()

    app = GatewayApp(
        title="Platform gateway",
        version="0.2.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        generate_unique_id_function=operation_id,
        openapi_tags=[GATEWAY_TAG],
    )
    app.state.settings = settings
    app.openapi = documented_openapi(app)  # type: ignore[method-assign]
    app.state.pools = {pool.upstream.name: pool for pool in [*pools, shell_pool]}
    app.state.metrics = metrics
    app.state.limiter = limiter
    app.state.edge_auth = edge_auth
    install_error_handlers(app)

    _add_operations_routes(app, settings, pools, shell_pool, metrics)
    _add_docs_routes(app, OpenAPIMerger(pools, app.openapi, settings.openapi_ttl_s))
    _add_unknown_api_routes(app)
    _add_stray_paths(app)
    registry = next((pool for pool in pools if pool.upstream.name == "core"), None)
    shell_page = ShellPage(
        shell=shell_pool,
        registry=registry,
        edge_auth=edge_auth,
        ttl_s=settings.shell_index_ttl_s,
        behind_tls=settings.behind_tls,
    )
    _add_shell_page_route(app, shell_page)
    api = ApiProxy(forwarder=forwarder, edge_auth=edge_auth, limiter=limiter, metrics=metrics)
    dispatcher = Dispatcher(
        api=api,
        pools=pools,
        shell_pool=shell_pool,
        fallback=app.fastapi,
        serve_source_maps=settings.environment == "development",
    )
    app.edge = _edge_stack(dispatcher, settings, metrics, _route_labeller(pools))
    return app


def _edge_stack(
    app: ASGIApp,
    settings: GatewaySettings,
    metrics: GatewayMetrics,
    route_label: Callable[[str], str],
) -> ASGIApp:
    """The edge layer wraps everything, so even CORS preflights and rejected requests carry
    a request id, security headers and an access-log line."""
    app = CompressWhenAccepted(
        app,
        GZipMiddleware(
            app,
            minimum_size=settings.gzip_min_bytes,
            compresslevel=6,
            exclude_content_types=NOT_COMPRESSED,
        ),
    )
    if settings.cors_origins:
        app = CORSMiddleware(
            app,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["authorization", "content-type", "x-request-id", "if-none-match"],
            expose_headers=CORS_EXPOSED,
            max_age=600,
        )
    if settings.max_connections_per_client > 0:
        app = ConnectionsPerClient(app, settings.max_connections_per_client)
    return EdgeMiddleware(app, settings=settings, metrics=metrics, route_label=route_label)


def _route_labeller(pools: list[UpstreamPool]) -> Callable[[str], str]:
    """A bounded label for metrics: the upstream prefix, a gateway path, or the shell."""
    prefixes = [pool.upstream.prefix.rstrip("/") for pool in pools]

    def route_label(path: str) -> str:
        for prefix in prefixes:
            if path == prefix or path.startswith(f"{prefix}/"):
                return prefix
        if path in GATEWAY_PATHS:
            return path
        for group in ("/api", "/shell", "/docs"):
            if path.startswith(f"{group}/"):
                return group
        return "shell-page"

    return route_label


def _add_operations_routes(
    app: FastAPI,
    settings: GatewaySettings,
    pools: list[UpstreamPool],
    shell_pool: UpstreamPool,
    metrics: GatewayMetrics,
) -> None:
    breakers = {pool.upstream.name: pool.breaker for pool in [*pools, shell_pool]}

    @app.get(
        "/healthz",
        name="gateway_health_live",
        responses=error_responses(EDGE_ERRORS),
        tags=["gateway"],
        summary="The gateway process is alive",
    )
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        name="gateway_health_ready",
        responses={
            503: {
                "description": "An upstream or the store is down; the report names it",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            **error_responses(EDGE_ERRORS),
        },
        tags=["gateway"],
        summary="Every upstream and the store answer; breaker state per upstream",
    )
    async def readyz() -> JSONResponse:
        healthy, report = await readiness_report(pools, settings.readiness_timeout_s)
        return JSONResponse(report, status_code=200 if healthy else 503)

    metrics_token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    metrics_open = metrics_token is None and settings.environment == "development"

    @app.get(
        "/metrics",
        name="metrics_get",
        tags=["gateway"],
        summary="Prometheus metrics (outside development: Bearer GATEWAY_METRICS_TOKEN)",
        # Prometheus' text exposition format; its error answers stay JSON (ErrorBody).
        response_class=PlainTextResponse,
        responses=_without_model(
            error_responses(
                EDGE_ERRORS,
                {401: [GatewayErrorCode.METRICS_TOKEN_REQUIRED], 404: [GatewayErrorCode.NOT_FOUND]},
            )
        ),
    )
    async def prometheus_metrics(request: Request) -> Response:
        if metrics_token is None and not metrics_open:
            return json_error(404, GatewayErrorCode.NOT_FOUND, "Nothing is served at /metrics")
        if metrics_token is not None and not _bearer_matches(request, metrics_token):
            return json_error(
                401,
                GatewayErrorCode.METRICS_TOKEN_REQUIRED,
                "/metrics needs Authorization: Bearer <GATEWAY_METRICS_TOKEN>",
                headers={"www-authenticate": "Bearer"},
            )
        return Response(metrics.render(breakers), media_type=metrics.content_type)


def _without_model(responses: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """The declared error answers without their `model`, which FastAPI would also list under
    the route's own media type (text/plain); their application/json content says ErrorBody."""
    return {
        status: {k: v for k, v in spec.items() if k != "model"}
        for status, spec in responses.items()
    }


def _bearer_matches(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


def _add_docs_routes(app: FastAPI, merger: OpenAPIMerger) -> None:

    async def openapi_document(request: Request) -> Response:
        return Response(await merger.document(), media_type="application/json")

    swagger_ui_prepared = swagger_ui_page("Platform API", "/openapi.json")
    redoc_prepared = redoc_page("Platform API", "/openapi.json")
    redoc_bundle_prepared = redoc_bundle()

    async def swagger_ui(request: Request) -> Response:
        return swagger_ui_prepared.response()

    async def redoc(request: Request) -> Response:
        return redoc_prepared.response()

    async def redoc_script(request: Request) -> Response:
        return redoc_bundle_prepared.response()

    for path, endpoint in (
        ("/openapi.json", openapi_document),
        ("/docs", swagger_ui),
        ("/redoc", redoc),
        (f"/docs/assets/{REDOC_BUNDLE}", redoc_script),
    ):
        app.add_route(path, endpoint, methods=["GET", "HEAD"], include_in_schema=False)
    app.mount("/docs/assets", StaticFiles(directory=str(ASSET_FILES)), name="docs-assets")


def _add_unknown_api_routes(app: FastAPI) -> None:
    async def no_such_api(request: Request) -> Response:
        return json_error(
            404, GatewayErrorCode.API_NOT_FOUND, f"No service serves {request.url.path}"
        )

    for path in ("/api", "/api/{path:path}"):
        app.add_route(path, no_such_api, methods=API_METHODS, include_in_schema=False)


def _add_stray_paths(app: FastAPI) -> None:
    """Paths browsers and crawlers ask for on their own get real answers, not the shell page.
    (The auth service's /.well-known documents are under /api/auth.)"""

    async def robots(request: Request) -> Response:
        return PlainTextResponse(ROBOTS_TXT)

    async def not_found(request: Request) -> Response:
        return json_error(
            404, GatewayErrorCode.NOT_FOUND, f"Nothing is served at {request.url.path}"
        )

    app.add_route("/robots.txt", robots, methods=["GET", "HEAD"], include_in_schema=False)
    for path in ("/.well-known", "/.well-known/{path:path}"):
        app.add_route(path, not_found, methods=["GET", "HEAD"], include_in_schema=False)


def _add_shell_page_route(app: FastAPI, shell_page: ShellPage) -> None:
    async def page(request: Request) -> Response:
        return await shell_page.render(request)

    app.add_route("/{path:path}", page, methods=["GET", "HEAD"], include_in_schema=False)
