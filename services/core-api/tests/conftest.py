from collections.abc import AsyncIterator

import httpx
import pytest

from core_api.app import create_app
from core_api.settings import CoreSettings


@pytest.fixture
def settings(mongodb_uri, database_name, token_issuer) -> CoreSettings:
    return CoreSettings(
        mongodb_uri=mongodb_uri,
        database=database_name,
        jwks_url=token_issuer.jwks_url,
        jwt_issuer=token_issuer.issuer,
        jwt_audience=token_issuer.audience,
    )


@pytest.fixture
async def client(settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://core") as client:
            yield client
