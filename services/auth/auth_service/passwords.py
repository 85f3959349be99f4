"""fastapi-users' password helper, made to keep argon2 off the event loop.

fastapi-users' user manager calls the helper's `hash` and `verify_and_update` synchronously
inside `create`, `_update`, `forgot_password` and `reset_password`, so each call would hold
the event loop for one argon2 run (~0.3 s at the production cost) and the worker would
answer nothing else meanwhile. Our manager computes those results in a worker thread first
(`hashed`, `verified`); while inside those blocks, the synchronous calls look them up.
The results are kept per task (a context variable), so concurrent requests never see each
other's."""

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

from fastapi_users.password import PasswordHelper

Check = tuple[bool, str | None]

_NOTHING_READY: Mapping[Any, Any] = MappingProxyType({})
_ready_hashes: ContextVar[Mapping[str, str]] = ContextVar("ready_hashes", default=_NOTHING_READY)
_ready_checks: ContextVar[Mapping[tuple[str, str], Check]] = ContextVar(
    "ready_checks", default=_NOTHING_READY
)


class OffLoopPasswordHelper(PasswordHelper):
    @asynccontextmanager
    async def hashed(self, password: str) -> AsyncIterator[None]:
        """Inside, `hash(password)` returns a hash computed in a worker thread."""
        digest = await asyncio.to_thread(super().hash, password)
        token = _ready_hashes.set({**_ready_hashes.get(), password: digest})
        try:
            yield
        finally:
            _ready_hashes.reset(token)

    @asynccontextmanager
    async def verified(self, plain: str, hashed: str) -> AsyncIterator[None]:
        """Inside, `verify_and_update(plain, hashed)` returns a result computed in a worker
        thread."""
        check = await asyncio.to_thread(super().verify_and_update, plain, hashed)
        token = _ready_checks.set({**_ready_checks.get(), (plain, hashed): check})
        try:
            yield
        finally:
            _ready_checks.reset(token)

    def hash(self, password: str) -> str:
        ready = _ready_hashes.get().get(password)
        return ready if ready is not None else super().hash(password)

    def verify_and_update(self, plain_password: str, hashed_password: str) -> Check:
        ready = _ready_checks.get().get((plain_password, hashed_password))
        if ready is not None:
            return ready
        return super().verify_and_update(plain_password, hashed_password)
