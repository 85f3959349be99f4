"""The platform's static host: the shell's build, and every fragment under /fragments/<name>/.

What a CDN is in production. Two kinds of content, each optional, so one module serves both
the shell host (the shell's build at `/`, reached only by the gateway) and the fragments host
(public, like a CDN bucket):

- `directory`: one build served at `/` (the shell's `mfe-shell/dist`).
- fragments, under `/fragments/<name>/...`, found when each request comes, so a fragment
  added while the host runs is served with no restart and no setting naming it:
  `root/<name>/...` (production: the folder fragment teams' pipelines upload their
  `dist/<version>/` builds to), else `<workspace>/mfe-<name>/dist/...` for each workspace
  whose `mfe-<name>/package.json` has a "fragment" block (development: the checkout's
  fragment folders as they build; the shell's folder has no such block).

Module scripts loaded cross-origin need CORS; versioned and content-hashed files are cached
for a year, everything else is revalidated on every load. The build writes `<file>.br` and
`<file>.gz` beside each script and stylesheet (`fragment-precompress`); the host sends the
smallest one the browser accepts, with `Content-Encoding`, so nothing is compressed per
request. Subresource integrity covers the decoded bytes, so it is unchanged. Source maps
are served in development only: elsewhere the built sources stay with the build.
"""

import argparse
import json
import os
import re
from functools import lru_cache
from mimetypes import guess_type
from pathlib import Path
from typing import Annotated

import uvicorn
from fastapi import FastAPI
from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Message, Receive, Scope, Send

from platform_common.health import health_router
from platform_common.logging import configure_logging
from platform_common.manifest_contract import FRAGMENT_NAME_PATTERN
from platform_common.middleware import RequestContextMiddleware

# Vite names built files with an 8-character content hash (`index-3f9aC1b2.js`); versioned
# folders look like `/1.4.0/`. `vendor/react-dom-client.js` is neither: it is revalidated, and
# so is a fragment's development build in `/dev/`.
_IMMUTABLE = re.compile(r"(-[A-Za-z0-9_-]{8}\.\w+$)|(/\d+\.\d+\.\d+[^/]*/)")
# Precompressed siblings, best first, by their Content-Encoding and file suffix.
_ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
# A sibling older than its file was left by an earlier build (or the file was replaced since):
# it is not served. The build copies the file's time to the microsecond.
_SIBLING_TIME_SLACK_NS = 1_000_000
# A source map, or a precompressed copy of one.
_SOURCE_MAP = re.compile(r"\.map(\.br|\.gz)?$")
# Nothing but a fragment name is looked up.
_FRAGMENT_NAME = re.compile(FRAGMENT_NAME_PATTERN)
FRAGMENTS_PREFIX = "/fragments"


class FragmentHostSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRAGMENT_HOST_")

    name: str = "fragments"
    environment: str = "development"
    # One build served at `/` (the shell's).
    directory: Path | None = None
    # Fragments under /fragments/<name>/: root/<name>/ first, else <workspace>/mfe-<name>/dist/.
    root: Path | None = None
    # FRAGMENT_HOST_WORKSPACES: folders separated like PATH's (`:`).
    workspaces: Annotated[list[Path], NoDecode] = []
    host: str = "127.0.0.1"
    port: int = 4101
    log_level: str = "INFO"

    @field_validator("workspaces", mode="before")
    @classmethod
    def _path_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item for item in value.split(os.pathsep) if item]
        return value

    @model_validator(mode="after")
    def _serves_something(self) -> "FragmentHostSettings":
        if self.directory is None and self.root is None and not self.workspaces:
            raise ValueError(
                "nothing to serve: set FRAGMENT_HOST_DIRECTORY (a build served at /), "
                "FRAGMENT_HOST_ROOT or FRAGMENT_HOST_WORKSPACES (fragments under /fragments/)"
            )
        return self

    @property
    def serves_source_maps(self) -> bool:
        return self.environment == "development"

    def fragment_folder(self, name: str) -> Path | None:
        """The folder of fragment `name`'s builds, looked up now (None: not served here)."""
        if not _FRAGMENT_NAME.fullmatch(name):
            return None
        candidates = [self.root / name] if self.root else []
        candidates += [
            workspace / f"mfe-{name}" / "dist"
            for workspace in self.workspaces
            if _is_fragment(workspace / f"mfe-{name}" / "package.json")
        ]
        return next((folder for folder in candidates if folder.is_dir()), None)


def _is_fragment(package_json: Path) -> bool:
    """Whether a workspace folder's package.json has a "fragment" block (read again when it
    changes)."""
    try:
        modified = package_json.stat().st_mtime_ns
    except OSError:
        return False
    return _has_fragment_block(package_json, modified)


@lru_cache(maxsize=256)
def _has_fragment_block(package_json: Path, _modified_ns: int) -> bool:
    try:
        return "fragment" in json.loads(package_json.read_text())
    except (OSError, ValueError):
        return False


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
    """StaticFiles that answers with a file's `.br` or `.gz` sibling when the client takes it,
    and refuses source maps unless told to serve them.

    Every file answer says `Vary: Accept-Encoding`, so a shared cache keeps one copy per
    coding. Each coding has its own ETag (the sibling's size and time), so revalidation
    (If-None-Match, 304) works per representation.
    """

    def __init__(self, *, directory: Path | None, source_maps: bool) -> None:
        super().__init__(directory=directory)
        self.source_maps = source_maps

    async def get_response(self, path: str, scope: Scope) -> Response:
        if not self.source_maps and _SOURCE_MAP.search(path):
            raise HTTPException(status_code=404)
        return await super().get_response(path, scope)

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


class FragmentFiles(PrecompressedFiles):
    """`<name>/<file>` from the folder `settings.fragment_folder(name)` finds at request time,
    never outside it."""

    def __init__(self, settings: FragmentHostSettings) -> None:
        super().__init__(directory=None, source_maps=settings.serves_source_maps)
        self.settings = settings

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        name, _, rest = path.partition(os.sep)
        folder = self.settings.fragment_folder(name) if rest else None
        if folder is None:
            return "", None
        return _inside(folder, rest)


def _inside(folder: Path, relative: str) -> tuple[str, os.stat_result | None]:
    """The file `relative` names under `folder` and its stat; nothing when it leaves the
    folder (`..`, an absolute path, a symbolic link pointing out) or does not exist."""
    base = os.path.realpath(folder)
    full_path = os.path.realpath(os.path.join(base, relative))
    if os.path.isabs(relative) or os.path.commonpath([full_path, base]) != base:
        return "", None
    try:
        return full_path, os.stat(full_path)
    except (FileNotFoundError, NotADirectoryError):
        return "", None


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
    if settings.root is not None or settings.workspaces:
        fragments = FragmentFiles(settings)
        app.mount(FRAGMENTS_PREFIX, _AssetHeaders(fragments), name="fragments")
    if settings.directory is not None:
        settings.directory.mkdir(parents=True, exist_ok=True)
        build = PrecompressedFiles(
            directory=settings.directory, source_maps=settings.serves_source_maps
        )
        app.mount("/", _AssetHeaders(build), name="assets")
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name")
    parser.add_argument("--directory", type=Path, help="a build served at /")
    parser.add_argument("--root", type=Path, help="fragments from ROOT/<name>/")
    parser.add_argument(
        "--workspace",
        dest="workspaces",
        type=Path,
        action="append",
        help="fragments from WORKSPACE/mfe-<name>/dist/ (repeatable)",
    )
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
