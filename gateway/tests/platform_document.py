"""The merged OpenAPI document of the real services, built without starting any of them:
each app's own document, merged as the gateway merges what it fetches."""

from pathlib import Path
from typing import Any

from auth_service.app import create_app as create_auth_app
from auth_service.keys import generate_key
from auth_service.settings import AuthSettings
from core_api.app import create_app as create_core_app
from core_api.settings import CoreSettings
from gateway.app import create_app as create_gateway_app
from gateway.openapi import merge_documents
from gateway.settings import GatewaySettings

UNREACHABLE = "mongodb://127.0.0.1:9"


def platform_document(gateway_settings: GatewaySettings, keys_dir: Path) -> dict[str, Any]:
    generate_key(keys_dir)
    auth = create_auth_app(
        AuthSettings(
            environment="test",
            mongodb_uri=UNREACHABLE,
            database="openapi",
            keys_dir=keys_dir,
            link_token_secret="openapi-link-secret-" + "x" * 32,
        )
    )
    core = create_core_app(
        CoreSettings(
            mongodb_uri=UNREACHABLE,
            database="openapi",
            jwks_url=gateway_settings.jwks_url,
            jwt_issuer=gateway_settings.jwt_issuer,
            jwt_audience=gateway_settings.jwt_audience,
        )
    )
    gateway = create_gateway_app(gateway_settings)
    prefixes = {upstream.name: upstream.prefix for upstream in gateway_settings.upstreams()}
    parts = [("auth", prefixes["auth"], auth.openapi()), ("core", prefixes["core"], core.openapi())]
    return merge_documents(gateway.openapi(), parts)
