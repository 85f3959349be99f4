"""Local token verification from a JWKS served over real HTTP."""

import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

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
