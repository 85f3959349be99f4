"""A service built by create_service_app refuses production settings that are not fit for it."""

import pytest
from pydantic_settings import SettingsConfigDict

from platform_common.production import ProductionSettingsError
from platform_common.service import ServiceSettings, create_service_app


class ExampleSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EXAMPLE_")

    port: int = 9999
    database: str = "example"


def test_production_without_a_mongodb_uri_refuses_to_start(monkeypatch):
    monkeypatch.delenv("MONGODB_URI", raising=False)
    with pytest.raises(ProductionSettingsError) as refused:
        create_service_app(
            name="example",
            title="Example",
            settings=ExampleSettings(environment="production"),
            documents=[],
        )
    assert "MONGODB_URI is not set" in str(refused.value)


def test_development_defaults_start(monkeypatch):
    monkeypatch.delenv("MONGODB_URI", raising=False)
    app = create_service_app(
        name="example", title="Example", settings=ExampleSettings(), documents=[]
    )
    assert app.title == "Example"
