"""The API routes built from settings: each upstream's prefix gets one endpoint that applies,
in order, the per-client rate limit, edge auth, the per-user rate limit, then proxies."""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from gateway.edge_auth import EdgeAuth
from gateway.limits import GatewayRateLimiter, LimitOutcome, tightest
from gateway.metrics import GatewayMetrics
from gateway.proxy import Forwarder, UpstreamPool, json_error
from platform_common.tokens import InvalidTokenError, Principal

API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

Endpoint = Callable[[Request], Awaitable[Response]]


class ApiPipeline:
    def __init__(
        self,
        *,
        forwarder: Forwarder,
        edge_auth: EdgeAuth,
        limiter: GatewayRateLimiter | None,
        metrics: GatewayMetrics,
    ) -> None:
        self.forwarder = forwarder
        self.edge_auth = edge_auth
        self.limiter = limiter
        self.metrics = metrics

    def endpoint_for(self, pool: UpstreamPool) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            return await self.handle(request, pool)

        return endpoint

    async def handle(self, request: Request, pool: UpstreamPool) -> Response:
        path = request.url.path
        client_limit = await self._client_limit(path, request)
        if client_limit is not None and not client_limit.allowed:
            return self._too_many(client_limit)
        principal, rejection = await self._authenticate(path, request)
        if rejection is not None:
            return rejection
        user_limit = await self._user_limit(path, principal)
        outcome = tightest(client_limit, user_limit)
        if outcome is not None and not outcome.allowed:
            return self._too_many(outcome)
        response = await self.forwarder.forward(request, pool)
        if outcome is not None:
            response.raw_headers.extend(
                (name.lower().encode(), value.encode()) for name, value in outcome.headers().items()
            )
        return response

    async def _client_limit(self, path: str, request: Request) -> LimitOutcome | None:
        if self.limiter is None:
            return None
        client = request.client.host if request.client else "unknown"
        return await self.limiter.check_client(path, client)

    async def _user_limit(self, path: str, principal: Principal | None) -> LimitOutcome | None:
        if self.limiter is None or principal is None:
            return None
        return await self.limiter.check_user(path, principal.subject)

    async def _authenticate(
        self, path: str, request: Request
    ) -> tuple[Principal | None, Response | None]:
        authorization = request.headers.get("authorization")
        if self.edge_auth.is_public(path):
            return await self.edge_auth.optional_principal(authorization), None
        try:
            return await self.edge_auth.principal(authorization), None
        except InvalidTokenError as error:
            self.metrics.auth_rejected.labels(error.code).inc()
            return None, json_error(
                401,
                error.code,
                error.reason,
                headers={
                    "WWW-Authenticate": f'Bearer error="invalid_token", error_description="{error.reason}"'
                },
            )

    def _too_many(self, outcome: LimitOutcome) -> Response:
        self.metrics.rate_limited.labels(outcome.group).inc()
        return json_error(
            429,
            "RATE_LIMITED",
            f"Too many requests for {outcome.group}; retry in {outcome.headers()['Retry-After']}s",
            headers=outcome.headers(),
        )


def add_api_routes(app: FastAPI, pipeline: ApiPipeline, pools: list[UpstreamPool]) -> None:
    for pool in pools:
        endpoint = pipeline.endpoint_for(pool)
        prefix = pool.upstream.prefix.rstrip("/")
        for path in (prefix, f"{prefix}/{{path:path}}"):
            app.add_route(path, endpoint, methods=API_METHODS, include_in_schema=False)

    async def no_such_api(request: Request) -> Response:
        return json_error(404, "API_NOT_FOUND", f"No service serves {request.url.path}")

    for path in ("/api", "/api/{path:path}"):
        app.add_route(path, no_such_api, methods=API_METHODS, include_in_schema=False)
