"""The Core API app factory."""

from fastapi import FastAPI

from core_api.models import DOCUMENTS
from core_api.settings import CoreSettings
from platform_common.service import create_service_app
from platform_common.tokens import verifier_lifespan


def create_app(settings: CoreSettings | None = None) -> FastAPI:
    settings = settings or CoreSettings()
    return create_service_app(
        name="core-api",
        title="Core API",
        settings=settings,
        documents=DOCUMENTS,
        extra_lifespan=lambda app: verifier_lifespan(app, settings),
    )
