"""Access tokens and keys (points 2 and 5), checked the way other services check them:
platform_common's JWKSVerifier fetching this service's JWKS over real HTTP."""

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from auth_service.app import create_app
from auth_service.keys import KeyRing, KeysMissingError, generate_key, key_files
from auth_service.settings import AuthSettings
from platform_common.tokens import InvalidTokenError, JWKSVerifier


@pytest.fixture
async def http():
    async with httpx.AsyncClient(timeout=10) as http:
        yield http


def verifier_for(url: str, http: httpx.AsyncClient, settings) -> JWKSVerifier:
    return JWKSVerifier(
        jwks_url=f"{url}/.well-known/jwks.json",
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        http=http,
        min_refetch_interval_s=0,
    )


async def sign_in(http: httpx.AsyncClient, url: str, email: str) -> dict:
    password = "long enough password"
    await http.post(f"{url}/register", json={"email": email, "password": password})
    response = await http.post(f"{url}/jwt/login", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def forged(claims: dict, header: dict, key: bytes | str | None, alg: str) -> str:
    return jwt.encode(claims, key, algorithm=alg, headers=header)  # type: ignore[arg-type]


async def test_other_services_verify_access_tokens_from_the_jwks(live_url, http, settings):
    pair = await sign_in(http, live_url, "uma@example.io")
    principal = await verifier_for(live_url, http, settings).verify(pair["access_token"])
    assert principal.email == "uma@example.io"
    assert principal.roles == frozenset({"member"})
    claims = principal.claims
    assert claims["iss"] == "http://127.0.0.1:8000/api/auth"
    assert claims["aud"] == "farm-platform"
    assert claims["exp"] - int(claims["iat"]) == 900
    assert principal.session_id == claims["sid"] and principal.issued_at == claims["iat"]
    assert abs(claims["iat"] - time.time()) < 30
    assert len(claims["jti"]) == 32
    me = await http.get(
        f"{live_url}/users/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    assert claims["sub"] == me.json()["id"]
    header = jwt.get_unverified_header(pair["access_token"])
    jwks = (await http.get(f"{live_url}/.well-known/jwks.json")).json()
    assert header == {"alg": "RS256", "kid": jwks["keys"][0]["kid"], "typ": "JWT"}
    assert set(jwks["keys"][0]) >= {"kty", "n", "e", "kid", "alg", "use"}
    assert "d" not in jwks["keys"][0]  # only public parts are published


async def test_discovery_metadata_names_issuer_and_keys(client, settings):
    metadata = (await client.get("/.well-known/openid-configuration")).json()
    assert metadata["issuer"] == settings.jwt_issuer
    assert metadata["jwks_uri"] == f"{settings.jwt_issuer}/.well-known/jwks.json"
    assert metadata["token_endpoint"] == f"{settings.jwt_issuer}/token"
    assert metadata["grant_types_supported"] == ["client_credentials"]


def _bad_tokens(good: str, settings, keys_dir) -> dict[str, str]:
    claims = jwt.decode(good, options={"verify_signature": False})
    header = jwt.get_unverified_header(good)
    ring = KeyRing.from_dir(keys_dir)
    private = ring.active.private_key
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    unsigned_header = base64.urlsafe_b64encode(
        json.dumps({"alg": "none", "kid": header["kid"]}).encode()
    )
    unsigned_body = base64.urlsafe_b64encode(json.dumps(claims).encode())
    hs256 = (
        base64.urlsafe_b64encode(
            json.dumps({"alg": "HS256", "kid": header["kid"], "typ": "JWT"}).encode()
        ).rstrip(b"=")
        + b"."
        + base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    )
    signature = base64.urlsafe_b64encode(
        hmac.new(public_pem, hs256, hashlib.sha256).digest()
    ).rstrip(b"=")
    return {
        "alg none": (
            unsigned_header.rstrip(b"=") + b"." + unsigned_body.rstrip(b"=") + b"."
        ).decode(),
        "HS256 keyed with the public key": (hs256 + b"." + signature).decode(),
        "wrong audience": forged(
            {**claims, "aud": "someone-else"}, {"kid": header["kid"]}, private, "RS256"
        ),
        "wrong issuer": forged(
            {**claims, "iss": "https://evil.example"}, {"kid": header["kid"]}, private, "RS256"
        ),
        "unknown kid": forged(claims, {"kid": "not-a-key"}, stranger, "RS256"),
        "signed by a stranger": forged(claims, {"kid": header["kid"]}, stranger, "RS256"),
        "expired": forged(
            {**claims, "exp": int(time.time()) - 3600}, {"kid": header["kid"]}, private, "RS256"
        ),
        "no jti": forged(
            {k: v for k, v in claims.items() if k != "jti"},
            {"kid": header["kid"]},
            private,
            "RS256",
        ),
        "garbage": "not.a.jwt",
    }


async def test_forged_and_foreign_tokens_are_refused_everywhere(live_url, http, settings):
    pair = await sign_in(http, live_url, "vic@example.io")
    verifier = verifier_for(live_url, http, settings)
    for name, token in _bad_tokens(pair["access_token"], settings, settings.keys_dir).items():
        with pytest.raises(InvalidTokenError):
            await verifier.verify(token)
        me = await http.get(f"{live_url}/users/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 401, name
        logout_all = await http.post(
            f"{live_url}/jwt/logout-all", headers={"Authorization": f"Bearer {token}"}
        )
        assert logout_all.status_code == 401, name
    # Nothing was revoked by the forgeries.
    refreshed = await http.post(
        f"{live_url}/jwt/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert refreshed.status_code == 200


async def test_rotation_publishes_both_keys_and_old_tokens_stay_valid(settings, http, serve):
    fast_reload = settings.model_copy(update={"key_reload_interval_s": 0.2})
    async with serve(fast_reload) as live_url:
        await _rotate(live_url, http, settings)


async def _rotate(live_url: str, http: httpx.AsyncClient, settings) -> None:
    old = await sign_in(http, live_url, "wes@example.io")
    verifier = verifier_for(live_url, http, settings)
    await verifier.verify(old["access_token"])

    generate_key(settings.keys_dir)
    app_keys = await _reload_keys(live_url, http)
    assert len(app_keys) == 2
    new = (
        await http.post(f"{live_url}/jwt/refresh", json={"refresh_token": old["refresh_token"]})
    ).json()
    old_kid = jwt.get_unverified_header(old["access_token"])["kid"]
    new_kid = jwt.get_unverified_header(new["access_token"])["kid"]
    assert new_kid != old_kid and {old_kid, new_kid} == set(app_keys)
    # The verifier learns the new kid by refetching; the old token still verifies.
    assert (await verifier.verify(new["access_token"])).subject == (
        await verifier.verify(old["access_token"])
    ).subject


async def _reload_keys(url: str, http: httpx.AsyncClient) -> list[str]:
    """The app rereads its key folder every key_reload_interval_s (0.2 s in this test)."""
    for _ in range(100):
        kids = [
            key["kid"] for key in (await http.get(f"{url}/.well-known/jwks.json")).json()["keys"]
        ]
        if len(kids) > 1:
            return kids
        await asyncio.sleep(0.05)
    raise AssertionError("keys were not reloaded")


async def test_a_key_file_that_cannot_be_read_does_not_stop_key_reloads(settings, http, serve):
    fast_reload = settings.model_copy(update={"key_reload_interval_s": 0.05})
    async with serve(fast_reload) as live_url:
        encrypted = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"a passphrase"),
        )
        bad = settings.keys_dir / "key-20990101T000000000000Z.pem"
        bad.write_bytes(encrypted)
        await asyncio.sleep(0.3)  # several reloads fail on it
        bad.unlink()
        generate_key(settings.keys_dir)
        assert len(await _reload_keys(live_url, http)) == 2


def test_outside_development_the_service_refuses_to_start_without_keys(settings, tmp_path):
    empty = tmp_path / "no-keys"
    production = settings.model_copy(update={"environment": "production", "keys_dir": empty})
    with pytest.raises(KeysMissingError):
        create_app(production)
    no_secret = settings.model_copy(update={"environment": "production", "link_token_secret": None})
    with pytest.raises(KeysMissingError):
        create_app(no_secret)


def test_in_development_a_missing_key_is_generated_and_kept(settings, tmp_path):
    folder = tmp_path / "dev-keys"
    development = settings.model_copy(update={"environment": "development", "keys_dir": folder})
    first = create_app(development).state.auth.keys.ring.active.kid
    assert len(key_files(folder)) == 1
    assert create_app(development).state.auth.keys.ring.active.kid == first


def test_keys_can_come_from_the_environment(settings, tmp_path, monkeypatch):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    monkeypatch.setenv("AUTH_SIGNING_KEYS", pem)
    monkeypatch.setenv("AUTH_LINK_TOKEN_SECRET", uuid.uuid4().hex)
    monkeypatch.setenv("AUTH_MONGODB_URI", settings.mongodb_uri)
    production = AuthSettings(environment="production", keys_dir=tmp_path / "none", database="x")
    ring = create_app(production).state.auth.keys.ring
    assert ring.active.private_key.private_numbers() == key.private_numbers()
