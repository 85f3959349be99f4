"""Whether a would-be project member is a real account. core-api does not trust an id it
is handed in a URL: it asks the auth service (`POST /internal/principals`, see
platform_common.principals) and keeps each answer briefly, a "yes" longer than a "no" so
that an account made a moment ago can be added at once."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

import httpx
from cachetools import TTLCache
from fastapi import FastAPI
from pydantic import ValidationError

from core_api.settings import CoreSettings
from platform_common.principals import ActivePrincipals, PrincipalsQuery

# Bounds the memory that ids from URLs can take; old answers are dropped first.
CACHE_ENTRIES = 10_000


class PrincipalsUnavailable(Exception):
    """The auth service could not say (down, slow, or an answer that does not parse)."""


class PrincipalChecker(Protocol):
    async def is_active(self, principal_id: str) -> bool:
        """Whether the id names a known, active user or service account (`client:<id>`);
        raises PrincipalsUnavailable when that cannot be told."""
        ...


class AuthPrincipals:
    """Asks the auth service, with an answer cache per process."""

    def __init__(
        self, url: str, http: httpx.AsyncClient, *, known_ttl_s: float, unknown_ttl_s: float
    ) -> None:
        self.url = url
        self._http = http
        self._known: TTLCache[str, bool] = TTLCache(CACHE_ENTRIES, ttl=known_ttl_s)
        self._unknown: TTLCache[str, bool] = TTLCache(CACHE_ENTRIES, ttl=unknown_ttl_s)

    async def is_active(self, principal_id: str) -> bool:
        if principal_id in self._known:
            return True
        if principal_id in self._unknown:
            return False
        active = principal_id in await self._ask([principal_id])
        (self._known if active else self._unknown)[principal_id] = True
        return active

    async def _ask(self, ids: list[str]) -> set[str]:
        body = PrincipalsQuery(ids=ids).model_dump()
        try:
            response = await self._http.post(self.url, json=body)
            response.raise_for_status()
            return set(ActivePrincipals.model_validate_json(response.content).active)
        except (httpx.HTTPError, ValidationError) as error:
            raise PrincipalsUnavailable(repr(error)) from error


@asynccontextmanager
async def principals_lifespan(
    app: FastAPI, settings: CoreSettings, given: PrincipalChecker | None
) -> AsyncIterator[None]:
    """Puts the checker on `app.state.principals`: `given`, or one that asks the auth
    service over its own pooled HTTP client."""
    if given is not None:
        app.state.principals = given
        yield
        return
    async with httpx.AsyncClient(timeout=settings.principals_timeout_s) as http:
        app.state.principals = AuthPrincipals(
            settings.principals_endpoint,
            http,
            known_ttl_s=settings.principals_known_ttl_s,
            unknown_ttl_s=settings.principals_unknown_ttl_s,
        )
        yield
