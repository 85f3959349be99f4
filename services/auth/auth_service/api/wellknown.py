"""The public keys, and discovery metadata naming them."""

from typing import Any

from fastapi import APIRouter, Response

from auth_service.deps import Context
from auth_service.keys import ALGORITHM

router = APIRouter(prefix="/.well-known", tags=["keys"])

# Consumers refetch on an unknown kid anyway; this only bounds how stale a cache may be.
JWKS_MAX_AGE_S = 300


@router.get("/jwks.json", name="keys_jwks", summary="The public keys that verify access tokens")
async def jwks(context: Context, response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = f"public, max-age={JWKS_MAX_AGE_S}"
    return context.keys.ring.jwks()


@router.get(
    "/openid-configuration",
    name="keys_openid_configuration",
    summary="Issuer metadata (RFC 8414 style)",
)
async def openid_configuration(context: Context) -> dict[str, Any]:
    issuer = context.settings.jwt_issuer.rstrip("/")
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "token_endpoint": f"{issuer}/token",
        # Only what token_endpoint answers: sign-in and refresh are /jwt/login and
        # /jwt/refresh, which do not speak the OAuth2 grant protocol.
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
    }
