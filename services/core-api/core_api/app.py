"""The Core API app factory."""

from fastapi import FastAPI
from platform_common.service import create_service_app

from core_api.models import DOCUMENTS
from core_api.settings import CoreSettings


def create_app(settings: CoreSettings | None = None) -> FastAPI:
    return create_service_app(
        name="core-api",
        title="Core API",
        settings=settings or CoreSettings(),
        documents=DOCUMENTS,
    )
