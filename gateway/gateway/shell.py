"""The shell page: the shell's index.html with this user's import map, manifest and CSP.

Every non-API GET answers it. The shell's index.html and shared.json come from the shell
host (cached for a moment); the registry manifest comes from core-api on every load, with
the `farm_access` cookie's token as bearer when it verifies, so role filters and sticky
canaries apply and a new activation shows on the next page load. Local overrides stored in
the `farm_fragment_override` cookie go along (gateway/overrides.py); an overridden fragment's
entry and stylesheets have no integrity.

The registry is the one source of truth for fragment origins: it admits each version's origin
at publish (and each override's at issue) and names it in the manifest, which the gateway
reads with the one manifest schema (platform_common.manifest_contract) and does not filter by
rules of its own. Each page's CSP names exactly the origins of the fragments on that page.
"""

import html
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import structlog
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from gateway import overrides
from gateway.edge_auth import EdgeAuth
from gateway.errors import GatewayErrorCode
from gateway.proxy import UpstreamPool, json_error
from platform_common.manifest_contract import Manifest

log = structlog.get_logger("gateway.shell")

HEAD_PLACEHOLDER = "<!--platform:head-->"
ACCESS_COOKIE = "farm_access"
EMPTY_MANIFEST = Manifest(contract="1", shared={}, fragments=[])


@dataclass
class _Manifest:
    body: Manifest
    # The registry refused the stored override tokens: the cookie is to be cleared.
    overrides_refused: bool = False


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
        ttl_s: float,
        behind_tls: bool = False,
        manifest_path: str = "/fragments/manifest",
    ) -> None:
        self._shell = shell
        self._registry = registry
        self._edge_auth = edge_auth
        self._ttl_s = ttl_s
        self._manifest_path = manifest_path
        self._behind_tls = behind_tls
        self._files = _ShellFiles()

    async def render(self, request: Request) -> Response:
        secure = request.url.scheme == "https" or self._behind_tls
        if overrides.OVERRIDE_PARAM in request.query_params:
            return overrides.store_and_redirect(request, secure)
        files = await self._shell_files(request)
        if files is None:
            return json_error(
                503,
                GatewayErrorCode.SHELL_UNAVAILABLE,
                "The shell host is unreachable",
                upstream="shell",
            )
        manifest = await self._manifest(request)
        page_manifest = manifest.body.model_dump(mode="json", exclude_unset=True)
        origins = sorted({fragment.origin for fragment in manifest.body.fragments})
        nonce = secrets.token_urlsafe(18)
        head = _head(files.shared, page_manifest, request.url.path, nonce)
        if HEAD_PLACEHOLDER in files.index:
            page = files.index.replace(HEAD_PLACEHOLDER, head, 1)
        else:
            page = files.index.replace("</head>", f"{head}</head>", 1)
        response = Response(
            page,
            media_type="text/html",
            headers={
                "Content-Security-Policy": _csp(nonce, origins),
                "Cache-Control": "no-store",
                "Vary": "Cookie",
            },
        )
        if manifest.overrides_refused:
            overrides.clear_cookie(response, secure)
        return response

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

    async def _manifest(self, request: Request) -> _Manifest:
        if self._registry is None:
            return _Manifest(EMPTY_MANIFEST)
        headers = {"x-request-id": request.state.request_id}
        token = request.cookies.get(ACCESS_COOKIE)
        principal = await self._edge_auth.optional_principal(f"Bearer {token}") if token else None
        signed_in = principal is not None
        if signed_in:
            headers["authorization"] = f"Bearer {token}"
        # Overrides are the signed-in developer's own: without a valid access token they wait
        # (kept in the cookie) rather than being refused as someone else's.
        tokens = [stored.token for stored in overrides.stored_tokens(request)] if signed_in else []
        status, body = await self._fetch_manifest(headers, tokens)
        if tokens and status != 200:
            # The page is served without the overrides rather than without any fragment; a
            # refused token leaves the cookie, a busy one (409) is tried on the next load.
            refused = overrides.is_refusal(status, body)
            log.info("manifest with overrides refused", status=status, cleared=refused, reason=body)
            status, body = await self._fetch_manifest(headers, [])
            return _Manifest(_manifest_or_empty(status, body), overrides_refused=refused)
        return _Manifest(_manifest_or_empty(status, body))

    async def _fetch_manifest(
        self, headers: dict[str, str], override_tokens: list[str]
    ) -> tuple[int, Any]:
        assert self._registry is not None
        params = httpx.QueryParams([("override", token) for token in override_tokens])
        try:
            response = await self._registry.client.get(
                self._manifest_path, headers=headers, params=params, timeout=2.0
            )
            return response.status_code, orjson.loads(response.content)
        except (httpx.HTTPError, orjson.JSONDecodeError) as error:
            log.warning("manifest unavailable; rendering the shell alone", error=repr(error))
            return 0, None


def _csp(nonce: str, fragment_origins: list[str]) -> str:
    """The shell's own origin and exactly the origins of the fragments on this page (each
    checked by the registry, and a plain origin by the manifest schema)."""
    origins = " ".join(fragment_origins)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}' {origins}".strip(),
            # No 'unsafe-inline': the shell's CSS and fragments' `css` are files.
            f"style-src 'self' {origins}".strip(),
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
        # An override is a developer's local build: it has no integrity to check.
        if fragment.get("integrity") and not fragment.get("override"):
            integrity[fragment["entry"]] = fragment["integrity"]
    return {"imports": imports, "integrity": integrity}


def route_matches(route: str, path: str) -> bool:
    """A page route matches its path only; a subtree ("/reports/*") its base and below."""
    if route.endswith("/*"):
        base = route[:-2]
        return path == base or path.startswith(f"{base}/")
    return path == route


def owning_fragment(manifest: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The fragment owning `path`: the longest matching route wins, as in the shell
    (the shared cases: packages/sdk/contract/route-matching.json)."""
    best: tuple[int, dict[str, Any]] | None = None
    for fragment in manifest.get("fragments", []):
        for route in fragment.get("routes", []):
            if route_matches(route, path) and (best is None or len(route) > best[0]):
                best = (len(route), fragment)
    return best[1] if best else None


def _head(shared: dict[str, Any], manifest: dict[str, Any], path: str, nonce: str) -> str:
    tags = [
        f'<script type="importmap" nonce="{nonce}">{_script_json(import_map(shared, manifest))}</script>'
    ]
    if owner := owning_fragment(manifest, path):
        tags.extend(_owner_links(owner))
    tags.append(
        f'<script id="platform-manifest" type="application/json" nonce="{nonce}">'
        f"{_script_json(manifest)}</script>"
    )
    return "\n".join(tags)


def _owner_links(fragment: dict[str, Any]) -> list[str]:
    """The owning fragment's entry (with its integrity unless overridden), its other modules
    and its stylesheets, so the browser fetches them with the page. Stylesheets are preloaded,
    not applied: the shell links them inside the fragment's shadow root, and a fragment's rules
    must never style the shell's document."""
    integrity = None if fragment.get("override") else fragment.get("integrity")
    links = [_link("modulepreload", fragment["entry"], integrity)]
    links.extend(_link("modulepreload", url) for url in fragment["preload"])
    links.extend(_style_preload(sheet["url"], sheet["integrity"]) for sheet in fragment["css"])
    return links


def _style_preload(url: str, integrity: str | None) -> str:
    # crossorigin and integrity: the shell links the stylesheet with CORS and its integrity
    # (none for an override's), and a preload is only reused by a request of the same mode
    # and integrity.
    href = html.escape(url, quote=True)
    pin = f' integrity="{html.escape(integrity, quote=True)}"' if integrity else ""
    return f'<link rel="preload" href="{href}" as="style"{pin} crossorigin>'


def _link(rel: str, href: str, integrity: str | None = None) -> str:
    attributes = f'rel="{rel}" href="{html.escape(href, quote=True)}"'
    if integrity:
        attributes += f' integrity="{html.escape(integrity, quote=True)}"'
    return f"<link {attributes}>"


def _manifest_or_empty(status: int, body: Any) -> Manifest:
    """The registry's manifest, read with the one manifest schema; the shell alone (no
    fragments) when the registry refused or answered something that does not fit it."""
    if status != 200:
        if status:
            log.warning("manifest refused; rendering the shell alone", status=status)
        return EMPTY_MANIFEST
    try:
        return Manifest.model_validate(body)
    except ValidationError as error:
        log.error("manifest does not fit the schema; rendering the shell alone", error=str(error))
        return EMPTY_MANIFEST


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `</script>` or `<!--` can be formed."""
    text = orjson.dumps(value).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
