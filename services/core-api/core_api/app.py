"""The Core API app factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from core_api.api import audit, bulk, events, projects, stats, tasks
from core_api.events import event_bus_lifespan
from core_api.models import DOCUMENTS, Task
from core_api.periodic import every
from core_api.principals import PrincipalChecker, principals_lifespan
from core_api.recovery import WriteIntents
from core_api.registry import api as registry_api
from core_api.registry.models import REGISTRY_DOCUMENTS
from core_api.rollups import Rollups
from core_api.settings import CoreSettings
from core_api.version_claims import VersionClaims
from platform_common.pagination import CursorCodec
from platform_common.service import create_service_app
from platform_common.tokens import verifier_lifespan

TAGS = [
    {"name": "projects", "description": "Projects and their members"},
    {"name": "tasks", "description": "A project's tasks; edits are conditional (If-Match)"},
    {"name": "stats", "description": "Counts, load, flow and cycle time over your projects"},
    {"name": "events", "description": "Live changes as Server-Sent Events"},
    {"name": "audit", "description": "Who changed what (admins)"},
    {"name": "fragments", "description": "The fragment registry: versions, rollout, overrides"},
]


def create_app(
    settings: CoreSettings | None = None, *, principals: PrincipalChecker | None = None
) -> FastAPI:
    """`principals` replaces asking the auth service whether members are real (tests)."""
    settings = settings or CoreSettings()
    return create_service_app(
        name="core-api",
        title="Core API",
        settings=settings,
        documents=[*DOCUMENTS, *REGISTRY_DOCUMENTS],
        routers=[
            projects.router,
            tasks.router,
            bulk.router,
            stats.router,
            events.router,
            audit.router,
            registry_api.router,
        ],
        tags=TAGS,
        extra_lifespan=lambda app: _lifespan(app, settings, principals),
    )


@asynccontextmanager
async def _lifespan(
    app: FastAPI, settings: CoreSettings, principals: PrincipalChecker | None
) -> AsyncIterator[None]:
    database = Task.get_pymongo_collection().database
    claims = app.state.version_claims = VersionClaims(database)
    app.state.rollups = Rollups()
    app.state.cursors = CursorCodec(settings.cursor_secret.get_secret_value())
    intents = app.state.write_intents = WriteIntents(database, claims, app.state.rollups)
    interrupted = timedelta(seconds=settings.recovery_after_s)
    await intents.recover(interrupted)
    # Projects written straight to the store (seeded, restored, from before rollups).
    await app.state.rollups.rebuild_all(only_missing=True)
    async with (
        every(
            settings.claims_sweep_interval_s, claims.sweep_stuck_and_old, "sweeping version claims"
        ),
        every(
            settings.recovery_interval_s,
            lambda: intents.recover(interrupted),
            "repairing interrupted task writes",
        ),
        verifier_lifespan(app, settings),
        principals_lifespan(app, settings, principals),
        event_bus_lifespan(
            app,
            settings.events_redis_url,
            settings.events_buffer_size,
            settings.events_queue_size,
        ),
        registry_api.registry_lifespan(app, settings),
    ):
        yield
