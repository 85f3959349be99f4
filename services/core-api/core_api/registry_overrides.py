"""Local overrides: a signed, expiring token that lets one developer's browser load one
fragment from a local build. Unlike a cookie anyone can set, it must be issued by an admin or
the fragment's publisher, names the fragment, the origin and the user, and each use counts."""

import uuid
from datetime import timedelta

import httpx
import jwt

from core_api import audit
from core_api.registry_checks import origin_of
from core_api.registry_errors import RegistryCode, forbidden, not_found, unprocessable
from core_api.registry_models import Fragment, OverrideGrant, utc_now
from core_api.registry_schemas import OverrideIn
from core_api.registry_settings import RegistrySettingsMixin
from platform_common.tokens import Principal

OVERRIDE_AUDIENCE = "fragment-override"
_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def override_origin(origin: str, allowed: list[str]) -> str:
    """A local build is served from this machine (loopback) or from an allowed origin:
    never from an arbitrary host."""
    try:
        normalized = origin_of(origin)
    except ValueError as error:
        raise unprocessable(RegistryCode.OVERRIDE_ORIGIN_INVALID, str(error)) from error
    if httpx.URL(normalized).host not in _LOOPBACK_HOSTS and normalized not in allowed:
        raise unprocessable(
            RegistryCode.OVERRIDE_ORIGIN_INVALID,
            f"{normalized} is neither a loopback origin (localhost, 127.0.0.1) nor an allowed one",
        )
    return normalized


async def issue(
    settings: RegistrySettingsMixin, actor: Principal, fragment: Fragment, payload: OverrideIn
) -> tuple[str, OverrideGrant]:
    origin = override_origin(payload.origin, settings.fragment_allowed_origins)
    entry = payload.entry or f"{origin}/entry.js"
    try:
        entry_origin = origin_of(entry)
    except ValueError as error:
        raise unprocessable(RegistryCode.OVERRIDE_ORIGIN_INVALID, str(error)) from error
    if entry_origin != origin:
        raise unprocessable(
            RegistryCode.OVERRIDE_ORIGIN_INVALID, f"The entry {entry} is not on {origin}"
        )
    ttl_s = min(payload.ttl_s, settings.fragment_override_max_ttl_s)
    grant = OverrideGrant(
        token_id=uuid.uuid4().hex,
        fragment=fragment.name,
        origin=origin,
        entry=entry,
        subject=payload.subject or actor.subject,
        issued_by=actor.subject,
        expires_at=utc_now() + timedelta(seconds=ttl_s),
    )
    await grant.insert()
    await audit.record(
        actor, "fragment.override_issued", "fragment", fragment.name, None, grant.public()
    )
    return _sign(settings, grant), grant


def _sign(settings: RegistrySettingsMixin, grant: OverrideGrant) -> str:
    claims = {
        "jti": grant.token_id,
        "sub": grant.subject,
        "aud": OVERRIDE_AUDIENCE,
        "fragment": grant.fragment,
        "origin": grant.origin,
        "entry": grant.entry,
        "iat": int(grant.issued_at.timestamp()),
        "exp": int(grant.expires_at.timestamp()),
    }
    return jwt.encode(claims, settings.override_signing_key, algorithm="HS256")


async def redeem(
    settings: RegistrySettingsMixin, token: str, principal: Principal | None
) -> OverrideGrant:
    """The grant behind a token presented with a manifest request, after every check; the use
    is counted, and the first one audited (a reload per keystroke need not flood the trail)."""
    grant = await _grant_for(settings, token)
    if principal is None or principal.subject != grant.subject:
        raise forbidden(
            RegistryCode.OVERRIDE_NOT_YOURS, "This override was issued for another user"
        )
    now = utc_now()
    await OverrideGrant.get_pymongo_collection().update_one(
        {"_id": grant.id},
        {"$inc": {"uses": 1}, "$set": {"last_used_at": now}},
    )
    if grant.first_used_at is None:
        first = await OverrideGrant.get_pymongo_collection().update_one(
            {"_id": grant.id, "first_used_at": None}, {"$set": {"first_used_at": now}}
        )
        if first.modified_count:
            await audit.record(
                principal,
                "fragment.override_used",
                "fragment",
                grant.fragment,
                None,
                grant.public() | {"first_used_at": now},
            )
    return grant


async def _grant_for(settings: RegistrySettingsMixin, token: str) -> OverrideGrant:
    try:
        claims = jwt.decode(
            token,
            settings.override_signing_key,
            algorithms=["HS256"],
            audience=OVERRIDE_AUDIENCE,
            options={"require": ["jti", "sub", "exp", "fragment"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise forbidden(RegistryCode.OVERRIDE_EXPIRED, "The override token has expired") from error
    except jwt.PyJWTError as error:
        raise forbidden(
            RegistryCode.OVERRIDE_INVALID, "The override token is not one this registry signed"
        ) from error
    grant = await OverrideGrant.find_one(OverrideGrant.token_id == claims["jti"])
    if grant is None:
        raise forbidden(RegistryCode.OVERRIDE_INVALID, "The override token is unknown")
    if grant.revoked_at is not None:
        raise forbidden(RegistryCode.OVERRIDE_REVOKED, "The override token was revoked")
    return grant


async def revoke(actor: Principal, fragment: Fragment, token_id: str) -> OverrideGrant:
    grant = await OverrideGrant.find_one(
        OverrideGrant.token_id == token_id, OverrideGrant.fragment == fragment.name
    )
    if grant is None:
        raise not_found(
            RegistryCode.OVERRIDE_NOT_FOUND,
            f"Fragment {fragment.name!r} has no override {token_id}",
        )
    if grant.revoked_at is None:
        before = grant.public()
        grant.revoked_at = utc_now()
        await grant.save()
        await audit.record(
            actor, "fragment.override_revoked", "fragment", fragment.name, before, grant.public()
        )
    return grant


async def grants(fragment: Fragment) -> list[OverrideGrant]:
    return (
        await OverrideGrant.find(OverrideGrant.fragment == fragment.name)
        .sort("-issued_at")
        .limit(200)
        .to_list()
    )
