"""A cap on the requests one client address has in flight at once.

Each request in flight holds a connection to the gateway and, when proxied, one of an
upstream's slots; without a cap a few clients holding many slowly-sent requests could take
every slot to the auth service. Like nginx's `limit_conn`, a connection counts while a request
on it is being handled. The address is the forwarded one behind a trusted proxy (the server's
`proxy_headers`); the count is per gateway process.
"""

from collections import Counter

from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.errors import GatewayErrorCode
from gateway.proxy import CONNECTION_CLOSE, send_json_error


class ConnectionsPerClient:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._open: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if self._open[address] >= self.limit:
            await send_json_error(
                send,
                429,
                GatewayErrorCode.TOO_MANY_CONNECTIONS,
                f"At most {self.limit} requests from one address may be in flight at once",
                [CONNECTION_CLOSE, (b"retry-after", b"1")],
            )
            return
        self._open[address] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._open[address] -= 1
            if not self._open[address]:
                del self._open[address]
