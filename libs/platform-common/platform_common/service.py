"""What every store-backed service shares: base settings and the app factory's skeleton."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import Any

from beanie import Document, init_beanie
from fastapi import APIRouter, FastAPI, Request
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings
from starlette.middleware import Middleware

from platform_common.api_docs import TOKEN_ERROR_CODES, documented_openapi
from platform_common.errors import install_error_handlers
from platform_common.health import health_router
from platform_common.indexes import ensure_indexes
from platform_common.logging import configure_logging
from platform_common.middleware import RequestContextMiddleware
from platform_common.operation_ids import operation_id
from platform_common.production import ensure_production_ready
from platform_common.store import connect, probe, wait_until_reachable

HEALTH_TAG = {"name": "health", "description": "Liveness and readiness of each service"}
ExtraLifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


class ServiceSettings(BaseSettings):
    """Subclasses set `env_prefix`; MONGODB_URI is shared by all services unless the
    prefixed variable (e.g. AUTH_MONGODB_URI) overrides it."""

    environment: str = "development"
    host: str = "127.0.0.1"
    port: int
    log_level: str = "INFO"
    mongodb_uri: str = Field(
        "mongodb://127.0.0.1:27017", validation_alias=AliasChoices("MONGODB_URI")
    )
    database: str
    store_wait_s: float = 30.0


async def _store_check(request: Request) -> dict[str, str]:
    return await probe(request.app.state.mongo)


def create_service_app(
    *,
    name: str,
    title: str,
    settings: ServiceSettings,
    documents: Sequence[type[Document]],
    routers: Sequence[APIRouter] = (),
    tags: Sequence[dict[str, str]] = (),
    unauthorized_codes: Sequence[str] = TOKEN_ERROR_CODES,
    extra_lifespan: ExtraLifespan | None = None,
    middleware: Sequence[Middleware] = (),
) -> FastAPI:
    """`tags` describes each tag the routes use (name, description), health's excepted;
    `unauthorized_codes` are the codes of the 401 every secured operation declares;
    `middleware` runs inside the request context (its answers carry the request id and are
    logged), outermost first."""
    configure_logging(name, settings.log_level)
    ensure_production_ready(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.mongo = connect(settings.mongodb_uri, name)
        try:
            await wait_until_reachable(app.state.mongo, settings.store_wait_s)
            await init_beanie(
                database=app.state.mongo[settings.database],
                document_models=list(documents),
                skip_indexes=True,
            )
            await ensure_indexes(documents)
            async with extra_lifespan(app) if extra_lifespan else nullcontext():
                yield
        finally:
            await app.state.mongo.close()

    # No trailing-slash redirects: behind the gateway their absolute Location would name this
    # service's own address, and `/projects/` is simply not a route (404 like any other).
    app = FastAPI(
        title=title,
        version="0.1.0",
        lifespan=lifespan,
        redirect_slashes=False,
        generate_unique_id_function=operation_id,
        openapi_tags=[*tags, HEALTH_TAG],
    )
    app.state.settings = settings
    for inner in reversed(middleware):  # each added goes outside the ones before it
        app.add_middleware(inner.cls, *inner.args, **inner.kwargs)
    app.add_middleware(RequestContextMiddleware, service=name, log_level=settings.log_level)
    install_error_handlers(app)
    app.openapi = documented_openapi(app, unauthorized_codes)  # type: ignore[method-assign]
    app.include_router(health_router({"store": _store_check}, service=name))
    for router in routers:
        app.include_router(router)
    return app
