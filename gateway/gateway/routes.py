"""The proxied paths as one lean ASGI app: each upstream's prefix applies, in order, the
per-client rate limit, edge auth, the per-user rate limit, then forwards. A service's
`/internal/...` routes are never forwarded. Shell assets
(`/shell/...`) are forwarded as they are. Every other path goes to the FastAPI app."""

from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.edge_auth import EdgeAuth
from gateway.errors import GatewayErrorCode
from gateway.limits import GatewayRateLimiter, LimitOutcome, tightest
from gateway.metrics import GatewayMetrics
from gateway.proxy import Forwarder, UpstreamPool, send_json_error
from platform_common.tokens import InvalidTokenError, Principal


class ApiProxy:
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

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, pool: UpstreamPool
    ) -> None:
        path: str = scope["path"]
        if _is_internal(path, pool.upstream.prefix):
            await send_json_error(
                send, 404, GatewayErrorCode.API_NOT_FOUND, f"No service serves {path}"
            )
            return
        client_limit = await self._client_limit(path, scope)
        if client_limit is not None and not client_limit.allowed:
            await self._too_many(send, client_limit)
            return
        try:
            principal = await self._authenticate(path, scope)
        except InvalidTokenError as error:
            await self._unauthorized(send, error)
            return
        user_limit = await self._user_limit(path, principal)
        outcome = tightest(client_limit, user_limit)
        if outcome is not None and not outcome.allowed:
            await self._too_many(send, outcome)
            return
        extra = outcome.raw_headers() if outcome is not None else ()
        await self.forwarder.forward(scope, receive, send, pool, extra)

    async def _client_limit(self, path: str, scope: Scope) -> LimitOutcome | None:
        if self.limiter is None:
            return None
        client = scope.get("client")
        return await self.limiter.check_client(path, client[0] if client else "unknown")

    async def _user_limit(self, path: str, principal: Principal | None) -> LimitOutcome | None:
        if self.limiter is None or principal is None:
            return None
        return await self.limiter.check_user(path, principal.subject)

    async def _authenticate(self, path: str, scope: Scope) -> Principal | None:
        authorization = _header(scope, b"authorization")
        if self.edge_auth.is_public(path):
            return await self.edge_auth.optional_principal(authorization)
        return await self.edge_auth.principal(authorization)

    async def _unauthorized(self, send: Send, error: InvalidTokenError) -> None:
        self.metrics.auth_rejected.labels(error.code).inc()
        challenge = f'Bearer error="invalid_token", error_description="{error.reason}"'
        await send_json_error(
            send, 401, error.code, error.reason, [(b"www-authenticate", challenge.encode())]
        )

    async def _too_many(self, send: Send, outcome: LimitOutcome) -> None:
        self.metrics.rate_limited.labels(outcome.group).inc()
        await send_json_error(
            send,
            429,
            GatewayErrorCode.RATE_LIMITED,
            f"Too many requests for {outcome.group}; retry in {outcome.headers()['Retry-After']}s",
            outcome.raw_headers(),
        )


class Dispatcher:
    """Sends a path under an upstream's prefix to the proxy and `/shell/...` straight to the
    shell host; everything else (gateway paths, the shell page) to `fallback`."""

    def __init__(
        self,
        *,
        api: ApiProxy,
        pools: list[UpstreamPool],
        shell_pool: UpstreamPool,
        fallback: ASGIApp,
        serve_source_maps: bool = True,
    ) -> None:
        self.api = api
        self.shell_pool = shell_pool
        self.fallback = fallback
        self.serve_source_maps = serve_source_maps
        self._prefixes = [(pool.upstream.prefix.rstrip("/"), pool) for pool in pools]

    def pool_for(self, path: str) -> UpstreamPool | None:
        for prefix, pool in self._prefixes:
            if path.startswith(prefix) and (len(path) == len(prefix) or path[len(prefix)] == "/"):
                return pool
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if (pool := self.pool_for(path)) is not None:
                await self.api(scope, receive, send, pool)
                return
            if path.startswith("/shell/") and scope["method"] in ("GET", "HEAD"):
                if path.endswith(".map") and not self.serve_source_maps:
                    # The built sources stay with the build outside development.
                    await send_json_error(
                        send, 404, GatewayErrorCode.NOT_FOUND, f"Nothing is served at {path}"
                    )
                    return
                await self.api.forwarder.forward(scope, receive, send, self.shell_pool)
                return
        await self.fallback(scope, receive, send)


def _is_internal(path: str, prefix: str) -> bool:
    """Whether `path` names a service's `/internal/...` routes, which are for the platform's
    own services only (empty segments are skipped, as a server may collapse them)."""
    segments = [segment for segment in path[len(prefix) :].split("/") if segment]
    return bool(segments) and segments[0].lower() == "internal"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
