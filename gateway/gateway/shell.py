"""The shell page: the shell's index.html with this user's import map, manifest and CSP.

Every non-API GET answers it. The shell's index.html and shared.json come from the shell
host (cached for a moment); the registry manifest comes from core-api on every load, with
the `farm_access` cookie's token as bearer when it verifies, so role filters and sticky
canaries apply and a new activation shows on the next page load.
"""

import fnmatch
import html
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import structlog
from starlette.requests import Request
from starlette.responses import Response

from gateway.edge_auth import EdgeAuth
from gateway.proxy import UpstreamPool, json_error

log = structlog.get_logger("gateway.shell")

HEAD_PLACEHOLDER = "<!--platform:head-->"
ACCESS_COOKIE = "farm_access"
EMPTY_MANIFEST: dict[str, Any] = {"contract": "1", "shared": {}, "fragments": []}


@dataclass
class _ShellFiles:
    index: str = ""
    shared: dict[str, Any] = field(default_factory=dict)
    fetched_at: float = float("-inf")


class ShellPage:
    def __init__(
        self,
        *,
        shell: UpstreamPool,
        registry: UpstreamPool | None,
        edge_auth: EdgeAuth,
        fragment_origins: list[str],
        ttl_s: float,
        manifest_path: str = "/fragments/manifest",
    ) -> None:
        self._shell = shell
        self._registry = registry
        self._edge_auth = edge_auth
        self._origins = [origin.rstrip("/") for origin in fragment_origins]
        self._ttl_s = ttl_s
        self._manifest_path = manifest_path
        self._files = _ShellFiles()

    async def render(self, request: Request) -> Response:
        files = await self._shell_files(request)
        if files is None:
            return json_error(
                503, "SHELL_UNAVAILABLE", "The shell host is unreachable", upstream="shell"
            )
        manifest = await self._manifest(request)
        fragments = [f for f in manifest.get("fragments", []) if self._allowed(f)]
        manifest = {**manifest, "fragments": fragments}
        nonce = secrets.token_urlsafe(18)
        head = _head(files.shared, manifest, request.url.path, nonce)
        if HEAD_PLACEHOLDER in files.index:
            page = files.index.replace(HEAD_PLACEHOLDER, head, 1)
        else:
            page = files.index.replace("</head>", f"{head}</head>", 1)
        return Response(
            page,
            media_type="text/html",
            headers={
                "Content-Security-Policy": self._csp(nonce),
                "Cache-Control": "no-store",
                "Vary": "Cookie",
            },
        )

    async def _shell_files(self, request: Request) -> _ShellFiles | None:
        if time.monotonic() - self._files.fetched_at <= self._ttl_s:
            return self._files
        headers = {"x-request-id": request.state.request_id}
        try:
            index = await self._shell.client.get("/index.html", headers=headers)
            shared = await self._shell.client.get("/shared.json", headers=headers)
            index.raise_for_status()
            shared_map = orjson.loads(shared.content) if shared.status_code == 200 else {}
        except (httpx.HTTPError, orjson.JSONDecodeError) as error:
            log.warning("shell files unavailable", error=repr(error))
            return self._files if self._files.index else None
        self._files = _ShellFiles(index.text, shared_map, time.monotonic())
        return self._files

    async def _manifest(self, request: Request) -> dict[str, Any]:
        if self._registry is None:
            return EMPTY_MANIFEST
        headers = {"x-request-id": request.state.request_id}
        token = request.cookies.get(ACCESS_COOKIE)
        if token and await self._edge_auth.optional_principal(f"Bearer {token}"):
            headers["authorization"] = f"Bearer {token}"
        try:
            response = await self._registry.client.get(
                self._manifest_path, headers=headers, timeout=2.0
            )
            response.raise_for_status()
            manifest = orjson.loads(response.content)
        except (httpx.HTTPError, orjson.JSONDecodeError) as error:
            log.warning("manifest unavailable; rendering the shell alone", error=repr(error))
            return EMPTY_MANIFEST
        return manifest if isinstance(manifest, dict) else EMPTY_MANIFEST

    def _allowed(self, fragment: dict[str, Any]) -> bool:
        entry = fragment.get("entry")
        if not isinstance(entry, str) or _origin(entry) not in self._origins:
            log.warning("fragment entry from an origin not allowed; left out", fragment=fragment)
            return False
        return True

    def _csp(self, nonce: str) -> str:
        origins = " ".join(self._origins)
        return "; ".join(
            [
                "default-src 'self'",
                f"script-src 'self' 'nonce-{nonce}' {origins}".strip(),
                f"style-src 'self' 'unsafe-inline' {origins}".strip(),
                f"img-src 'self' data: {origins}".strip(),
                f"font-src 'self' {origins}".strip(),
                f"connect-src 'self' {origins}".strip(),
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )


def import_map(shared: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    imports = dict(shared.get("imports", {}))
    integrity = dict(shared.get("integrity", {}))
    for fragment in manifest.get("fragments", []):
        imports[f"@fragment/{fragment['name']}"] = fragment["entry"]
        if fragment.get("integrity"):
            integrity[fragment["entry"]] = fragment["integrity"]
    return {"imports": imports, "integrity": integrity}


def owning_fragment(manifest: dict[str, Any], path: str) -> dict[str, Any] | None:
    for fragment in manifest.get("fragments", []):
        for route in fragment.get("routes", []):
            base = route[:-2] if route.endswith("/*") else None
            if fnmatch.fnmatchcase(path, route) or path == base:
                return fragment
    return None


def _head(shared: dict[str, Any], manifest: dict[str, Any], path: str, nonce: str) -> str:
    tags = [
        f'<script type="importmap" nonce="{nonce}">{_script_json(import_map(shared, manifest))}</script>'
    ]
    if owner := owning_fragment(manifest, path):
        href = html.escape(owner["entry"], quote=True)
        integrity = html.escape(owner.get("integrity") or "", quote=True)
        tags.append(f'<link rel="modulepreload" href="{href}" integrity="{integrity}">')
    tags.append(
        f'<script id="platform-manifest" type="application/json" nonce="{nonce}">'
        f"{_script_json(manifest)}</script>"
    )
    return "\n".join(tags)


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `</script>` or `<!--` can be formed."""
    text = orjson.dumps(value).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
