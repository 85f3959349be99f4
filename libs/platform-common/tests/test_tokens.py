"""Local token verification from a JWKS served over real HTTP."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from conftest import free_port
from platform_common.tokens import InvalidTokenError, JWKSVerifier


@pytest.fixture
async def verifier(token_issuer):
    async with httpx.AsyncClient() as http:
        yield JWKSVerifier(
            jwks_url=token_issuer.jwks_url,
            issuer=token_issuer.issuer,
            audience=token_issuer.audience,
            http=http,
        )


async def test_valid_token_yields_subject_and_roles(verifier, token_issuer):
    principal = await verifier.verify(token_issuer.mint("u1", ["admin", "publisher:dashboard"]))
    assert principal.subject == "u1"
    assert principal.is_admin and principal.has_role("publisher:dashboard")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"lifetime_s": -3600}, "TOKEN_EXPIRED"),
        ({"aud": "someone-else"}, "TOKEN_AUDIENCE_REJECTED"),
        ({"iss": "https://evil.example"}, "TOKEN_ISSUER_REJECTED"),
    ],
)
async def test_wrong_claims_are_rejected(verifier, token_issuer, overrides, code):
    with pytest.raises(InvalidTokenError) as raised:
        await verifier.verify(token_issuer.mint("u1", **overrides))
    assert raised.value.code == code


async def test_unsigned_token_is_rejected(verifier):
    token = jwt.encode({"sub": "u1"}, key=None, algorithm="none")
    with pytest.raises(InvalidTokenError) as raised:
        await verifier.verify(token)
    assert raised.value.code == "TOKEN_ALGORITHM_REJECTED"


async def test_hs256_signed_with_the_public_key_is_rejected(verifier, token_issuer):
    now = int(time.time())
    claims = {"sub": "u1", "iss": token_issuer.issuer, "aud": token_issuer.audience}
    claims |= {"iat": now, "exp": now + 60, "jti": "x"}
    public_jwk = str(token_issuer.jwks()["keys"][0])
    token = jwt.encode(claims, public_jwk, algorithm="HS256", headers={"kid": token_issuer.kid})
    with pytest.raises(InvalidTokenError) as raised:
        await verifier.verify(token)
    assert raised.value.code == "TOKEN_ALGORITHM_REJECTED"


async def test_token_from_an_unknown_key_is_rejected(verifier, token_issuer):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"sub": "u1", "iss": token_issuer.issuer, "aud": token_issuer.audience}
    claims |= {"iat": now, "exp": now + 60, "jti": "x"}
    token = jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": "not-published"})
    with pytest.raises(InvalidTokenError) as raised:
        await verifier.verify(token)
    assert raised.value.code == "TOKEN_KID_UNKNOWN"


async def test_forged_signature_under_a_known_kid_is_rejected(verifier, token_issuer):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"sub": "u1", "iss": token_issuer.issuer, "aud": token_issuer.audience}
    claims |= {"iat": now, "exp": now + 60, "jti": "x"}
    token = jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": token_issuer.kid})
    with pytest.raises(InvalidTokenError) as raised:
        await verifier.verify(token)
    assert raised.value.code == "TOKEN_INVALID"


async def test_garbage_is_malformed(verifier):
    with pytest.raises(InvalidTokenError) as raised:
        await verifier.verify("not.a.jwt")
    assert raised.value.code == "TOKEN_MALFORMED"


async def test_token_naming_no_key_is_rejected(verifier, token_issuer):
    now = int(time.time())
    claims = {"sub": "u1", "iss": token_issuer.issuer, "aud": token_issuer.audience}
    claims |= {"iat": now, "exp": now + 60, "jti": "x"}
    token = jwt.encode(claims, token_issuer.private_key, algorithm="RS256")
    with pytest.raises(InvalidTokenError) as raised:
        await verifier.verify(token)
    assert raised.value.code == "TOKEN_KID_MISSING"


async def test_an_allowed_algorithm_other_than_the_keys_is_rejected(verifier, token_issuer):
    """EdDSA is accepted, but not under the kid of an RS256 key."""
    now = int(time.time())
    claims = {"sub": "u1", "iss": token_issuer.issuer, "aud": token_issuer.audience}
    claims |= {"iat": now, "exp": now + 60, "jti": "x"}
    signer = ed25519.Ed25519PrivateKey.generate()
    token = jwt.encode(claims, signer, algorithm="EdDSA", headers={"kid": token_issuer.kid})
    with pytest.raises(InvalidTokenError) as raised:
        await verifier.verify(token)
    assert raised.value.code == "TOKEN_ALGORITHM_REJECTED"


@pytest.mark.parametrize(
    "claims",
    [
        {"roles": "admin"},  # a string: `"admin" in roles` must not make its holder an admin
        {"roles": ["member", 7]},
        {"sid": 42},
        {"iat": str(int(time.time()))},
    ],
    ids=["roles-a-string", "roles-not-all-strings", "sid-not-a-string", "iat-a-string"],
)
async def test_a_signed_token_with_malformed_claims_is_rejected(verifier, token_issuer, claims):
    with pytest.raises(InvalidTokenError) as raised:
        await verifier.verify(token_issuer.mint("u1", **claims))
    assert raised.value.code == "TOKEN_INVALID"


@contextmanager
def jwks_server(jwks: dict, served: list[str] | None = None) -> Iterator[str]:
    """A JWKS endpoint over real HTTP that the test can stop (an auth service restarting);
    each request's path is appended to `served`."""
    body = json.dumps(jwks).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if served is not None:
                served.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def test_known_keys_keep_verifying_while_the_jwks_is_unreachable(token_issuer):
    async with httpx.AsyncClient() as http:
        with jwks_server(token_issuer.jwks()) as jwks_url:
            verifier = JWKSVerifier(
                jwks_url=jwks_url,
                issuer=token_issuer.issuer,
                audience=token_issuer.audience,
                http=http,
                cache_ttl_s=0,
                min_refetch_interval_s=0,
            )
            await verifier.verify(token_issuer.mint("u1"))
        # The auth service is gone: its key is stale and cannot be fetched again.
        principal = await verifier.verify(token_issuer.mint("u2"))
    assert principal.subject == "u2"


async def test_no_token_verifies_before_the_keys_could_be_fetched_once(token_issuer):
    async with httpx.AsyncClient() as http:
        verifier = JWKSVerifier(
            jwks_url=f"http://127.0.0.1:{free_port()}/.well-known/jwks.json",
            issuer=token_issuer.issuer,
            audience=token_issuer.audience,
            http=http,
        )
        with pytest.raises(InvalidTokenError) as raised:
            await verifier.verify(token_issuer.mint("u1"))
    assert raised.value.code == "TOKEN_KEYS_UNAVAILABLE"


async def test_unknown_kids_do_not_refetch_the_jwks_more_often_than_allowed(token_issuer):
    """Tokens with made-up kids cannot make every request a call to the auth service."""
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    fetched: list[str] = []
    with jwks_server(token_issuer.jwks(), fetched) as jwks_url:
        async with httpx.AsyncClient() as http:
            verifier = JWKSVerifier(
                jwks_url=jwks_url,
                issuer=token_issuer.issuer,
                audience=token_issuer.audience,
                http=http,
                min_refetch_interval_s=60,
            )
            await verifier.verify(token_issuer.mint("u1"))
            for attempt in range(5):
                token = jwt.encode({"sub": "x"}, stranger, "RS256", headers={"kid": f"k{attempt}"})
                with pytest.raises(InvalidTokenError) as raised:
                    await verifier.verify(token)
                assert raised.value.code == "TOKEN_KID_UNKNOWN"
    assert len(fetched) == 1
