"""A static host for one built fragment (or the shell): what a CDN would be in production.

Module scripts loaded cross-origin need CORS; versioned and content-hashed files are cached
for a year, everything else is revalidated on every load. The build writes `<file>.br` and
`<file>.gz` beside each script and stylesheet (mfe-shell/scripts/precompress.mjs); the host
sends the smallest one the browser accepts, with `Content-Encoding`, so nothing is
compressed per request. Subresource integrity covers the decoded bytes, so it is unchanged.
"""

import argparse
import os
import re
from mimetypes import guess_type
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Message, Receive, Scope, Send

from platform_common.health import health_router
from platform_common.logging import configure_logging
from platform_common.middleware import RequestContextMiddleware

# Vite names built files with an 8-character content hash (`index-3f9aC1b2.js`); versioned
# folders look like `/1.4.0/`. `vendor/react-dom-client.js` is neither: it is revalidated.
_IMMUTABLE = re.compile(r"(-[A-Za-z0-9_-]{8}\.\w+$)|(/\d+\.\d+\.\d+[^/]*/)")
# Precompressed siblings, best first, by their Content-Encoding and file suffix.
_ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
# A sibling older than its file was left by an earlier build (or the file was replaced since):
# it is not served. The build copies the file's time to the microsecond.
_SIBLING_TIME_SLACK_NS = 1_000_000


class FragmentHostSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRAGMENT_HOST_")

    name: str = "fragment"
    directory: Path = Path("dist")
    host: str = "127.0.0.1"
    port: int = 4101
    log_level: str = "INFO"


def accepted_encodings(accept_encoding: str) -> set[str]:
    """The content codings a request's Accept-Encoding admits (`q=0` refuses one)."""
    accepted: set[str] = set()
    refused: set[str] = set()
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if not coding:
            continue
        quality = params.strip().removeprefix("q=")
        try:
            refuse = bool(params) and float(quality) == 0
        except ValueError:
            continue
        (refused if refuse else accepted).add(coding.strip())
    if "*" in accepted:
        accepted |= {coding for coding, _ in _ENCODINGS}
    return accepted - refused


class PrecompressedFiles(StaticFiles):
    """StaticFiles that answers with a file's `.br` or `.gz` sibling when the client takes it.

    Every file answer says `Vary: Accept-Encoding`, so a shared cache keeps one copy per
    coding. Each coding has its own ETag (the sibling's size and time), so revalidation
    (If-None-Match, 304) works per representation.
    """

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        request_headers = Headers(scope=scope)
        accepted = accepted_encodings(request_headers.get("accept-encoding", ""))
        path, stat, coding = _representation(str(full_path), stat_result, accepted)
        headers = {"vary": "Accept-Encoding"}
        if coding:
            headers["content-encoding"] = coding
        response = FileResponse(
            path,
            status_code=status_code,
            headers=headers,
            media_type=guess_type(full_path)[0] or "text/plain",
            stat_result=stat,
        )
        if self.is_not_modified(response.headers, request_headers):
            return NotModifiedResponse(response.headers)
        return response


def _representation(
    path: str, stat: os.stat_result, accepted: set[str]
) -> tuple[str, os.stat_result, str | None]:
    """The file to send (the best current sibling the client accepts, else the file itself),
    its stat and its content coding."""
    for coding, suffix in _ENCODINGS:
        if coding not in accepted:
            continue
        try:
            sibling = os.stat(path + suffix)
        except OSError:
            continue
        fresh = sibling.st_mtime_ns >= stat.st_mtime_ns - _SIBLING_TIME_SLACK_NS
        if fresh and os.path.isfile(path + suffix):
            return path + suffix, sibling, coding
    return path, stat, None


class _AssetHeaders:
    def __init__(self, app: StaticFiles) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        immutable = bool(_IMMUTABLE.search(scope["path"]))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"access-control-allow-origin", b"*"))
                headers.append((b"x-content-type-options", b"nosniff"))
                cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
                headers.append((b"cache-control", cache.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: FragmentHostSettings | None = None) -> FastAPI:
    settings = settings or FragmentHostSettings()
    service = f"fragment-host:{settings.name}"
    configure_logging(service, settings.log_level)
    app = FastAPI(title=f"{settings.name} static host", docs_url=None, redoc_url=None)
    app.add_middleware(RequestContextMiddleware, service=service, log_level=settings.log_level)
    app.include_router(health_router({}, service="fragment_host"))
    settings.directory.mkdir(parents=True, exist_ok=True)
    app.mount("/", _AssetHeaders(PrecompressedFiles(directory=settings.directory)), name="assets")
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name")
    parser.add_argument("--directory", type=Path)
    parser.add_argument("--port", type=int)
    overrides = {k: v for k, v in vars(parser.parse_args()).items() if v is not None}
    settings = FragmentHostSettings(**overrides)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        server_header=False,
    )


if __name__ == "__main__":
    main()
