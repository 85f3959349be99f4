"""The Auth service app factory."""

from fastapi import FastAPI

from auth_service.models import DOCUMENTS
from auth_service.settings import AuthSettings
from platform_common.service import create_service_app


def create_app(settings: AuthSettings | None = None) -> FastAPI:
    return create_service_app(
        name="auth",
        title="Auth service",
        settings=settings or AuthSettings(),
        documents=DOCUMENTS,
    )
