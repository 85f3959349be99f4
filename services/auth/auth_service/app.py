"""The Auth service app factory."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from enum import Enum
from typing import cast

import structlog
from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from starlette.middleware import Middleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from auth_service.accounts import fastapi_users
from auth_service.api import (
    admin_users,
    clients,
    directory,
    internal,
    session,
    sessions,
    wellknown,
)
from auth_service.bodylimit import BodyLimitMiddleware
from auth_service.context import AuthContext, build_context
from auth_service.errors import UNAUTHORIZED
from auth_service.models import DOCUMENTS
from auth_service.refresh import sweep_expired
from auth_service.revocation import sweep_expired_revocations
from auth_service.schemas import SignUp, UserCreate, UserRead, UserUpdate
from auth_service.settings import AuthSettings
from auth_service.unicode_guard import require_unicode_json
from platform_common.service import create_service_app

log = structlog.get_logger("auth")


# fastapi-users names its routes "register:register", "users:patch_current_user", ...; these are
# their operationIds in the `<resource>_<verb>` style of every other route.
FASTAPI_USERS_NAMES = {
    "register:register": "users_register",
    "reset:forgot_password": "password_forgot",
    "reset:reset_password": "password_reset",
    "verify:request-token": "verification_request",
    "verify:verify": "verification_confirm",
    "users:current_user": "me_get",
    "users:patch_current_user": "me_update",
}
TAGS = [
    {"name": "session", "description": "Sign in, renew, sign out; the caller's sessions"},
    {"name": "account", "description": "Sign up, e-mail verification and password reset"},
    {"name": "users", "description": "The caller's account, the directory, users (admins)"},
    {"name": "service accounts", "description": "API clients and their client-credentials tokens"},
    {"name": "keys", "description": "The public keys and issuer metadata that verify tokens"},
]


def _fastapi_users_routes(router: APIRouter) -> APIRouter:
    """The routes of a fastapi-users router that we serve, under our operation names. Its
    /users/{id} routes are left out: api/admin_users.py serves them as /users/{user_id}."""
    served = APIRouter()
    for route in router.routes:
        if isinstance(route, APIRoute) and route.name in FASTAPI_USERS_NAMES:
            route.name = FASTAPI_USERS_NAMES[route.name]
            served.routes.append(route)
    return served


def _routes() -> APIRouter:
    routes = APIRouter(dependencies=[Depends(require_unicode_json)])
    account: list[str | Enum] = ["account"]
    # fastapi-users types the body as a BaseUserCreate, flags included; its safe create reads
    # only email, password and create_update_dict(), which SignUp has without the flags.
    sign_up = cast(type[UserCreate], SignUp)
    routes.include_router(
        _fastapi_users_routes(fastapi_users.get_register_router(UserRead, sign_up)), tags=account
    )
    routes.include_router(
        _fastapi_users_routes(fastapi_users.get_reset_password_router()), tags=account
    )
    routes.include_router(
        _fastapi_users_routes(fastapi_users.get_verify_router(UserRead)), tags=account
    )
    routes.include_router(session.router)
    routes.include_router(sessions.router)
    # /users/directory and /users/me before /users/{user_id}, which would take them for ids.
    routes.include_router(directory.router)
    routes.include_router(
        _fastapi_users_routes(fastapi_users.get_users_router(UserRead, UserUpdate)),
        prefix="/users",
        tags=["users"],
    )
    routes.include_router(admin_users.router)
    routes.include_router(clients.router)
    routes.include_router(wellknown.router)
    routes.include_router(internal.router)
    return routes


async def _every(interval_s: float, job: Callable[[], Awaitable[object]], name: str) -> None:
    while True:
        await asyncio.sleep(interval_s)
        try:
            await job()
        except Exception as error:
            # Whatever one run meets (the store away, an encrypted or half-written key file),
            # the next run must still happen: a dead loop would never reload keys again.
            log.warning("periodic job failed", job=name, error=repr(error))


def _background_jobs(
    context: AuthContext,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    settings = context.settings

    async def reload_keys() -> None:
        if context.keys.reload_if_changed():
            log.info("signing keys reloaded", active_kid=context.keys.ring.active.kid)

    async def sweep() -> None:
        if removed := await sweep_expired():
            log.info("expired refresh tokens deleted", count=removed)
        if removed := await sweep_expired_revocations():
            log.info("expired revocations deleted", count=removed)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        jobs = [
            asyncio.create_task(_every(settings.refresh_sweep_interval_s, sweep, "sweep")),
            asyncio.create_task(_every(settings.key_reload_interval_s, reload_keys, "keys")),
        ]
        try:
            yield
        finally:
            for job in jobs:
                job.cancel()
            await asyncio.gather(*jobs, return_exceptions=True)
            await context.mailer.drain()
            await context.revocations.close()

    return lifespan


def create_app(settings: AuthSettings | None = None) -> FastAPI:
    settings = settings or AuthSettings()
    context = build_context(settings)
    app = create_service_app(
        name="auth",
        title="Auth service",
        settings=settings,
        documents=DOCUMENTS,
        routers=[_routes()],
        tags=TAGS,
        unauthorized_codes=[UNAUTHORIZED],
        extra_lifespan=_background_jobs(context),
        middleware=[Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)],
    )
    app.state.auth = context
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app
