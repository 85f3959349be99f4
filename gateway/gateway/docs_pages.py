"""Swagger UI and ReDoc pages, each with a Content-Security-Policy that admits exactly what
the page loads: its own files under /docs/assets (shipped in the fastapi-offline wheel, so the
pages work offline and fetch nothing from a CDN), the merged /openapi.json, and Swagger UI's
one inline script by its hash. ReDoc styles itself with inline <style> elements
(styled-components), so its page admits inline styles, never inline scripts.

ReDoc's bundle shows Redocly's logo from cdn.redoc.ly in its sidebar, with no option to turn
it off: the gateway serves the bundle with that image replaced by an empty inline one."""

import base64
import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files

from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.responses import Response

ASSETS = "/docs/assets"
# Swagger UI and ReDoc ship inside the fastapi-offline wheel: served from disk, no CDN.
ASSET_FILES = files("fastapi_offline") / "static"
REDOC_BUNDLE = "redoc.standalone.js"
_REDOCLY_LOGO = b'"https://cdn.redoc.ly/redoc/logo-mini.svg"'
_NO_IMAGE = b"\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E\""
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)

# Shared by both pages: nothing from elsewhere, no plugins, no framing, no <base> tricks.
_LOCKED_DOWN = [
    "default-src 'none'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
]


def _inline_script_hashes(html: str) -> list[str]:
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    ]


@dataclass(frozen=True)
class Prepared:
    """An answer built once and sent as a new response each time (middleware may change a
    response's headers in place)."""

    body: bytes
    media_type: str
    headers: dict[str, str]

    def response(self) -> Response:
        return Response(self.body, media_type=self.media_type, headers=self.headers)


def _page(html: str, csp: list[str]) -> Prepared:
    headers = {"content-security-policy": "; ".join(csp), "cache-control": "no-cache"}
    return Prepared(html.encode(), "text/html", headers)


def swagger_ui_page(title: str, openapi_url: str) -> Prepared:
    html_bytes = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=title,
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon.png",
        # No badge from validator.swagger.io: the page calls nothing but this gateway.
        swagger_ui_parameters={"validatorUrl": None},
    ).body
    html = bytes(html_bytes).decode()
    script_src = " ".join(["'self'", *_inline_script_hashes(html)])
    return _page(html, [*_LOCKED_DOWN, f"script-src {script_src}", "style-src 'self'"])


def redoc_page(title: str, openapi_url: str) -> Prepared:
    html_bytes = get_redoc_html(
        openapi_url=openapi_url,
        title=title,
        redoc_js_url=f"{ASSETS}/{REDOC_BUNDLE}",
        redoc_favicon_url=f"{ASSETS}/favicon.png",
        with_google_fonts=False,
    ).body
    html = bytes(html_bytes).decode()
    return _page(
        html,
        [
            *_LOCKED_DOWN,
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            # ReDoc runs its search index in a worker made from a blob.
            "worker-src 'self' blob:",
        ],
    )


def redoc_bundle() -> Prepared:
    bundle = (ASSET_FILES / REDOC_BUNDLE).read_bytes().replace(_REDOCLY_LOGO, _NO_IMAGE)
    return Prepared(bundle, "text/javascript", {"cache-control": "no-cache"})
