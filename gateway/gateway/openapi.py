"""One OpenAPI document for the whole platform: each service's spec under its public prefix.

Parts are fetched live and kept for `ttl_s`; the merged document is rebuilt only when a part
changed. A service that is down leaves its last known part in place.
"""

import asyncio
import copy
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import structlog

from gateway.errors import GatewayErrorCode
from gateway.proxy import UpstreamPool
from platform_common.errors import error_response_spec

log = structlog.get_logger("gateway.openapi")

REF_PREFIX = "#/components/"


@dataclass
class _Part:
    spec: dict[str, Any] | None = None
    raw: bytes = b""
    fetched_at: float = float("-inf")


class OpenAPIMerger:
    def __init__(
        self,
        pools: list[UpstreamPool],
        gateway_spec: Callable[[], dict[str, Any]],
        ttl_s: float,
    ) -> None:
        self._pools = [pool for pool in pools if pool.upstream.openapi]
        self._gateway_spec = gateway_spec
        self._ttl_s = ttl_s
        self._parts = {pool.upstream.name: _Part() for pool in self._pools}
        self._merged: bytes | None = None
        self._lock = asyncio.Lock()

    async def document(self) -> bytes:
        async with self._lock:
            stale = [p for p in self._pools if self._is_stale(self._parts[p.upstream.name])]
            changed = await asyncio.gather(*(self._refresh(pool) for pool in stale))
            if self._merged is None or any(changed):
                self._merged = orjson.dumps(self._merge())
            return self._merged

    def _is_stale(self, part: _Part) -> bool:
        return time.monotonic() - part.fetched_at > self._ttl_s

    async def _refresh(self, pool: UpstreamPool) -> bool:
        """Fetches one service's spec; True when it differs from the last one known. A failed
        fetch waits `ttl_s` too: a hanging service must not hold every request (they queue on
        the lock) for its timeout."""
        part = self._parts[pool.upstream.name]
        part.fetched_at = time.monotonic()
        try:
            response = await pool.client.get("/openapi.json", timeout=3.0)
            response.raise_for_status()
            spec = orjson.loads(response.content)
        except (httpx.HTTPError, orjson.JSONDecodeError) as error:
            log.warning(
                "openapi part unavailable; keeping the last known",
                upstream=pool.upstream.name,
                error=repr(error),
            )
            return False
        if response.content == part.raw:
            return False
        part.spec, part.raw = spec, response.content
        return True

    def _merge(self) -> dict[str, Any]:
        parts = [
            (pool.upstream.name, pool.upstream.prefix, part.spec)
            for pool in self._pools
            if (part := self._parts[pool.upstream.name]).spec is not None
        ]
        return merge_documents(self._gateway_spec(), parts)


def merge_documents(
    gateway_spec: dict[str, Any], parts: list[tuple[str, str, dict[str, Any]]]
) -> dict[str, Any]:
    """The gateway's own document with each `(service, public prefix, spec)` part added."""
    merged = copy.deepcopy(gateway_spec)
    merged.setdefault("paths", {})
    merged["servers"] = [{"url": "/"}]
    merged.setdefault("components", {})
    tags = {tag["name"]: tag for tag in merged.get("tags", [])}
    operation_ids = _operation_ids(merged)
    for service, prefix, spec in parts:
        part = _namespaced(spec, service, merged["components"], prefix)
        for path, item in part.get("paths", {}).items():
            _dedupe_operation_ids(item, service, operation_ids)
            _declare_gateway_errors(item)
            _declare_path_characters(item)
            merged["paths"][prefix.rstrip("/") + path] = item
        for tag in part.get("tags", []):
            tags.setdefault(tag["name"], tag)
    if tags:
        merged["tags"] = list(tags.values())
    _one_bearer_scheme(merged)
    return merged


# People sign in with the password flow, service accounts with client credentials; either
# token works on every secured operation, so Swagger's Authorize serves both.
OAUTH2_SCHEME = "OAuth2"
OAUTH2 = {
    "type": "oauth2",
    "description": "An access token: a person's (password) or a service account's "
    "(client credentials, HTTP Basic client id and secret)",
    "flows": {
        "password": {"tokenUrl": "/api/auth/jwt/login", "scopes": {}},
        "clientCredentials": {"tokenUrl": "/api/auth/token", "scopes": {}},
    },
}


def _one_bearer_scheme(merged: dict[str, Any]) -> None:
    """Each service names its bearer token its own way (auth: fastapi-users' OAuth2 password
    scheme, core: HTTP bearer); the merged document has one scheme with both flows."""
    schemes = merged["components"].setdefault("securitySchemes", {})
    bearers = {
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "oauth2"
        or (scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer")
    }
    for name in bearers:
        del schemes[name]
    schemes[OAUTH2_SCHEME] = OAUTH2
    for item in merged["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "security" in operation:
                operation["security"] = _rewritten(operation["security"], bearers)


def _rewritten(requirements: list[dict[str, Any]], bearers: set[str]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for requirement in requirements:
        renamed: dict[str, list[str]] = {
            OAUTH2_SCHEME if name in bearers else name: [] for name in requirement
        }
        if renamed not in result:
            result.append(renamed)
    return result


# What the gateway's edge refuses before any route (gateway/edge.py), on every operation.
EDGE_ERRORS: dict[int, list[GatewayErrorCode]] = {
    400: [GatewayErrorCode.HOST_INVALID, GatewayErrorCode.PATH_INVALID],
    414: [GatewayErrorCode.URL_TOO_LONG],
    431: [GatewayErrorCode.HEADERS_TOO_LARGE],
}
# What the gateway itself may answer for any operation it forwards (limits, a failing upstream).
GATEWAY_ERRORS: dict[int, list[GatewayErrorCode]] = {
    **EDGE_ERRORS,
    429: [GatewayErrorCode.RATE_LIMITED, GatewayErrorCode.TOO_MANY_CONNECTIONS],
    502: [GatewayErrorCode.UPSTREAM_UNREACHABLE, GatewayErrorCode.UPSTREAM_BAD_RESPONSE],
    503: [GatewayErrorCode.UPSTREAM_CIRCUIT_OPEN, GatewayErrorCode.UPSTREAM_BUSY],
    504: [GatewayErrorCode.UPSTREAM_TIMEOUT],
}
# What the gateway may answer for a forwarded request body (proxy.py's body limits).
BODY_ERRORS: dict[int, list[GatewayErrorCode]] = {
    408: [GatewayErrorCode.REQUEST_TIMEOUT],
    413: [GatewayErrorCode.BODY_TOO_LARGE],
}


def _declare_gateway_errors(item: dict[str, Any]) -> None:
    for operation in item.values():
        if not isinstance(operation, dict) or "responses" not in operation:
            continue
        responses = operation["responses"]
        errors = GATEWAY_ERRORS | BODY_ERRORS if "requestBody" in operation else GATEWAY_ERRORS
        for status, codes in errors.items():
            declared = responses.get(str(status))
            if declared is None:
                responses[str(status)] = error_response_spec(status, codes)
            elif "x-error-codes" in declared:
                own = declared["x-error-codes"]
                responses[str(status)] = error_response_spec(status, [*own, *codes])


# The edge refuses a path with a control character in it (edge.py, 400 PATH_INVALID): so no
# path parameter may carry one, whatever the service's own rule for it.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"


def _declare_path_characters(item: dict[str, Any]) -> None:
    parameters = [
        parameter
        for operation in item.values()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
    ]
    for parameter in [*item.get("parameters", []), *parameters]:
        schema = parameter.get("schema", {})
        if parameter.get("in") == "path" and schema.get("type") == "string":
            schema.setdefault("pattern", NO_CONTROL_CHARACTERS)


def _namespaced(
    spec: dict[str, Any], service: str, components: dict[str, Any], prefix: str
) -> dict[str, Any]:
    """The spec with its components added to `components`; a name already taken by a
    different definition is renamed `<service>_<name>` and its references rewritten."""
    spec = copy.deepcopy(spec)
    renames: dict[str, str] = {}
    for kind, entries in spec.get("components", {}).items():
        taken = components.setdefault(kind, {})
        for name, definition in entries.items():
            if name in taken and taken[name] != definition:
                renames[f"{REF_PREFIX}{kind}/{name}"] = f"{REF_PREFIX}{kind}/{service}_{name}"
    spec = _rewrite_refs(spec, renames)
    for kind, entries in spec.get("components", {}).items():
        for name, definition in entries.items():
            key = name if f"{REF_PREFIX}{kind}/{name}" not in renames else f"{service}_{name}"
            if kind == "securitySchemes":
                definition = _prefixed_flows(definition, prefix)
            components[kind][key] = definition
    return spec


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if not renames:
        return node
    if isinstance(node, dict):
        return {
            key: renames.get(value, value)
            if key == "$ref" and isinstance(value, str)
            else _rewrite_refs(value, renames)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _prefixed_flows(scheme: dict[str, Any], prefix: str) -> dict[str, Any]:
    """OAuth2 flows name relative URLs (FastAPI's `tokenUrl="jwt/login"`): make them public."""
    for flow in scheme.get("flows", {}).values():
        for key in ("tokenUrl", "refreshUrl", "authorizationUrl"):
            url = flow.get(key)
            if isinstance(url, str) and "://" not in url and not url.startswith(prefix):
                flow[key] = f"{prefix.rstrip('/')}/{url.lstrip('/')}"
    return scheme


def _operation_ids(spec: dict[str, Any]) -> set[str]:
    return {
        operation["operationId"]
        for item in spec.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


def _dedupe_operation_ids(item: dict[str, Any], service: str, seen: set[str]) -> None:
    for operation in item.values():
        if not isinstance(operation, dict) or "operationId" not in operation:
            continue
        if operation["operationId"] in seen:
            operation["operationId"] = f"{service}_{operation['operationId']}"
        seen.add(operation["operationId"])
