"""A static host for one built fragment (or the shell): what a CDN would be in production.

Module scripts loaded cross-origin need CORS; content-hashed files are cached for a year,
everything else is revalidated on every load.
"""

import argparse
import re
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from platform_common.health import health_router
from platform_common.logging import configure_logging
from platform_common.middleware import RequestContextMiddleware

# Vite names built chunks like `chunk-3f9a1c2b.js`; versioned folders look like `/1.4.0/`.
_IMMUTABLE = re.compile(r"(-[A-Za-z0-9_-]{8,}\.\w+$)|(/\d+\.\d+\.\d+[^/]*/)")


class FragmentHostSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRAGMENT_HOST_")

    name: str = "fragment"
    directory: Path = Path("dist")
    host: str = "127.0.0.1"
    port: int = 4101
    log_level: str = "INFO"


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
    app.include_router(health_router({}))
    settings.directory.mkdir(parents=True, exist_ok=True)
    app.mount("/", _AssetHeaders(StaticFiles(directory=settings.directory)), name="assets")
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
