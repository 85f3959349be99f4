"""The error codes of the answers the gateway makes itself (its edge, limits, routing and
proxy). The merged document declares on every proxied operation those any request may get
(gateway/openapi.py: EDGE_ERRORS, GATEWAY_ERRORS, and BODY_ERRORS on those with a body);
not declared: CLIENT_DISCONNECTED (no client is left to read it) and INTERNAL_ERROR."""

from enum import StrEnum, auto


class GatewayErrorCode(StrEnum):
    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[str]) -> str:
        return name  # the code is the member's name

    # The edge, before any route (edge.py).
    HOST_INVALID = auto()
    PATH_INVALID = auto()
    URL_TOO_LONG = auto()
    HEADERS_TOO_LARGE = auto()
    INTERNAL_ERROR = auto()
    # Limits (routes.py, client_connections.py, proxy.py).
    RATE_LIMITED = auto()
    TOO_MANY_CONNECTIONS = auto()
    BODY_TOO_LARGE = auto()
    REQUEST_TIMEOUT = auto()
    CLIENT_DISCONNECTED = auto()
    # A failing upstream (proxy.py, shell.py).
    UPSTREAM_UNREACHABLE = auto()
    UPSTREAM_BAD_RESPONSE = auto()
    UPSTREAM_CIRCUIT_OPEN = auto()
    UPSTREAM_BUSY = auto()
    UPSTREAM_TIMEOUT = auto()
    SHELL_UNAVAILABLE = auto()
    # The gateway's own routes (app.py, routes.py).
    API_NOT_FOUND = auto()
    NOT_FOUND = auto()
    METRICS_TOKEN_REQUIRED = auto()
