"""The gateway refuses production settings that are not fit for it, one line per problem."""

import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings
from platform_common.production import ProductionSettingsError


def test_a_wildcard_cors_origin_stops_production_start():
    settings = GatewaySettings(environment="production", cors_origins=["*"])
    with pytest.raises(ProductionSettingsError) as refused:
        create_app(settings)
    assert "GATEWAY_CORS_ORIGINS contains '*'" in str(refused.value)
