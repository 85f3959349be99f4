"""Local overrides: a signed, expiring token that lets one developer's browser load one
fragment from a local build. Unlike a cookie anyone can set, it must be issued by an admin or
the fragment's publisher, names the fragment, the origin and the user, and each use counts.

Uses are counted exactly and a revocation is never lost or audited twice, even under
concurrent requests: FerretDB v1 applies neither conditional updates nor `$inc` atomically,
and lets concurrent updates of one document overwrite each other even when they set
different fields. So every write to a grant (each use, the revocation) is a step from its
current use count that is claimed first: one writer per step, one step at a time."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import jwt

from core_api import audit
from core_api.models import utc_now
from core_api.registry.errors import RegistryCode, conflict, forbidden, not_found, unprocessable
from core_api.registry.models import Fragment, OverrideGrant
from core_api.registry.origins import is_loopback, origin_of
from core_api.registry.schemas import OverrideIn
from core_api.registry.settings import RegistrySettingsMixin
from core_api.registry.users import UserDirectory
from core_api.version_claims import OVERRIDE_STEP, VersionClaims
from platform_common.tokens import Principal

OVERRIDE_AUDIENCE = "fragment-override"
# Concurrent writes to one grant take turns; one waits this long for its turn at most.
STEP_PATIENCE_S = 2.0


def override_origin(origin: str, allowed: Callable[[str], bool]) -> str:
    """A local build is served from this machine (loopback) or from an origin the fragment's
    versions may be published from (`allowed`): never from an arbitrary host."""
    try:
        normalized = origin_of(origin)
    except ValueError as error:
        raise unprocessable(RegistryCode.OVERRIDE_ORIGIN_INVALID, str(error)) from error
    if not is_loopback(normalized) and not allowed(normalized):
        raise unprocessable(
            RegistryCode.OVERRIDE_ORIGIN_INVALID,
            f"{normalized} is neither a loopback origin (localhost, 127.0.0.1) nor an allowed one",
        )
    return normalized


def _on_origin(url: str, origin: str, what: str) -> str:
    """The override's entry and stylesheets are admitted without integrity only because they
    come from its one origin (loopback or allowed): each must be on it."""
    try:
        url_origin = origin_of(url)
    except ValueError as error:
        raise unprocessable(RegistryCode.OVERRIDE_ORIGIN_INVALID, str(error)) from error
    if url_origin != origin:
        raise unprocessable(
            RegistryCode.OVERRIDE_ORIGIN_INVALID, f"The {what} {url} is not on {origin}"
        )
    return url


async def issue(
    settings: RegistrySettingsMixin,
    users: UserDirectory,
    actor: Principal,
    fragment: Fragment,
    payload: OverrideIn,
) -> tuple[str, OverrideGrant]:
    subject = _subject_allowed(actor, payload.subject)
    origin = override_origin(
        payload.origin,
        lambda candidate: settings.fragment_origin_allowed(candidate, fragment.origins),
    )
    entry = _on_origin(payload.entry or f"{origin}/entry.js", origin, "entry")
    css = [_on_origin(url, origin, "stylesheet") for url in payload.css]
    _check_live(fragment)
    # An admin's override for someone else: the audit line names that user by e-mail.
    audited = (
        {}
        if subject == actor.subject
        else {"subject_email": await users.email_of_active_user(subject)}
    )
    ttl_s = min(payload.ttl_s, settings.fragment_override_max_ttl_s)
    grant = OverrideGrant(
        token_id=uuid.uuid4().hex,
        fragment=fragment.name,
        origin=origin,
        entry=entry,
        css=css,
        subject=subject,
        issued_by=actor.subject,
        expires_at=utc_now() + timedelta(seconds=ttl_s),
    )
    await grant.insert()
    await audit.record(
        actor,
        "fragment.override_issued",
        "fragment",
        fragment.name,
        None,
        grant.public() | audited,
    )
    return _sign(settings, grant), grant


def _check_live(fragment: Fragment) -> None:
    """An override swaps the code of the version a user is served: its routes, navigation
    and roles come from that version. A fragment never activated is in nobody's manifest, so
    a token for it would silently do nothing: refuse it and say what to do instead."""
    if fragment.active_version is None:
        raise conflict(
            RegistryCode.NO_ACTIVE_VERSION,
            f"{fragment.name} has no active version, so an override would show nothing:"
            " publish and activate a version first (its routes and navigation are used)",
        )


def _subject_allowed(actor: Principal, requested: str | None) -> str:
    """Whom the override is for: an override runs unpinned code of the issuer's choosing in
    its user's shell, so a publisher issues them for themselves only; admins for anyone."""
    subject = requested or actor.subject
    if subject != actor.subject and not actor.is_admin:
        raise forbidden(
            RegistryCode.OVERRIDE_SUBJECT_FORBIDDEN,
            "A publisher may issue override tokens for themselves only; ask an admin to issue"
            " one for another user",
        )
    return subject


def _sign(settings: RegistrySettingsMixin, grant: OverrideGrant) -> str:
    claims = {
        "jti": grant.token_id,
        "sub": grant.subject,
        "aud": OVERRIDE_AUDIENCE,
        "fragment": grant.fragment,
        "origin": grant.origin,
        "entry": grant.entry,
        "css": grant.css,
        "iat": int(grant.issued_at.timestamp()),
        "exp": int(grant.expires_at.timestamp()),
    }
    return jwt.encode(claims, settings.override_signing_key, algorithm="HS256")


async def redeem(
    settings: RegistrySettingsMixin,
    claims: VersionClaims,
    token: str,
    principal: Principal | None,
) -> OverrideGrant:
    """The grant behind a token presented with a manifest request, after every check; the use
    is counted, and the first one audited (a reload per keystroke need not flood the trail)."""
    grant = await _grant_for(settings, token)
    if principal is None or principal.subject != grant.subject:
        raise forbidden(
            RegistryCode.OVERRIDE_NOT_YOURS, "This override was issued for another user"
        )
    used = await _step(claims, grant, lambda current: _count_use(current, principal))
    if used is None:
        raise forbidden(RegistryCode.OVERRIDE_REVOKED, "The override token was revoked")
    return used


# Writes one step to the grant as read; the grant after it, or None when the reading was
# stale (its step's claim long swept).
Write = Callable[[OverrideGrant], Awaitable[OverrideGrant | None]]


async def _step(claims: VersionClaims, grant: OverrideGrant, write: Write) -> OverrideGrant | None:
    """Applies `write` as the grant's next step once the step is ours; None when the grant
    was revoked before our turn came."""
    give_up_at = time.monotonic() + STEP_PATIENCE_S
    while grant.revoked_at is None:
        claimed = await claims.claim(OVERRIDE_STEP, grant.id, grant.uses)
        if claimed and (written := await write(grant)):
            return written
        if time.monotonic() > give_up_at:
            raise conflict(
                RegistryCode.OVERRIDE_BUSY,
                "Too many requests are using this override token at once: retry",
            )
        await asyncio.sleep(0.005)  # let the request that won this step write it
        grant = await _reloaded(grant)
    return None


async def _apply_step(grant: OverrideGrant, changes: dict[str, Any]) -> OverrideGrant | None:
    result = await OverrideGrant.get_pymongo_collection().update_one(
        {"_id": grant.id, "uses": grant.uses, "revoked_at": None}, {"$set": changes}
    )
    return grant.model_copy(update=changes) if result.matched_count else None


async def _count_use(grant: OverrideGrant, principal: Principal) -> OverrideGrant | None:
    """Moves the count on by one; the step from 0 is the first use, which is audited."""
    now = utc_now()
    changes: dict[str, Any] = {"uses": grant.uses + 1, "last_used_at": now}
    if grant.uses == 0:
        changes["first_used_at"] = now
    used = await _apply_step(grant, changes)
    if used and grant.uses == 0:
        await audit.record(
            principal, "fragment.override_used", "fragment", grant.fragment, None, used.public()
        )
    return used


async def _reloaded(grant: OverrideGrant) -> OverrideGrant:
    current = await OverrideGrant.get(grant.id)
    if current is None:
        raise forbidden(RegistryCode.OVERRIDE_INVALID, "The override token is unknown")
    return current


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
    # The stored grant decides, not the token: a token re-signed with a leaked (or the public
    # development) key must not stretch a grant's life or change whom it is for.
    if grant.revoked_at is not None:
        raise forbidden(RegistryCode.OVERRIDE_REVOKED, "The override token was revoked")
    if grant.expires_at <= utc_now():
        raise forbidden(RegistryCode.OVERRIDE_EXPIRED, "The override token has expired")
    if not _claims_match(claims, grant):
        raise forbidden(
            RegistryCode.OVERRIDE_INVALID, "The override token does not match the issued grant"
        )
    return grant


def _claims_match(claims: dict[str, Any], grant: OverrideGrant) -> bool:
    return (
        claims["sub"] == grant.subject
        and claims["fragment"] == grant.fragment
        and claims["exp"] == int(grant.expires_at.timestamp())
    )


async def revoke(
    claims: VersionClaims, actor: Principal, fragment: Fragment, token_id: str
) -> OverrideGrant:
    grant = await OverrideGrant.find_one(
        OverrideGrant.token_id == token_id, OverrideGrant.fragment == fragment.name
    )
    if grant is None:
        raise not_found(
            RegistryCode.OVERRIDE_NOT_FOUND,
            f"Fragment {fragment.name!r} has no override {token_id}",
        )
    if grant.revoked_at is not None:
        return grant

    async def revoke_now(current: OverrideGrant) -> OverrideGrant | None:
        revoked = await _apply_step(current, {"revoked_at": utc_now()})
        if revoked:
            await audit.record(
                actor,
                "fragment.override_revoked",
                "fragment",
                fragment.name,
                current.public(),
                revoked.public(),
            )
        return revoked

    revoked = await _step(claims, grant, revoke_now)
    if revoked is None:
        raise conflict(
            RegistryCode.OVERRIDE_CHANGED_CONCURRENTLY,
            f"Override {token_id} was revoked by another request meanwhile",
        )
    return revoked


async def grants(fragment: Fragment) -> list[OverrideGrant]:
    return (
        await OverrideGrant.find(OverrideGrant.fragment == fragment.name)
        .sort("-issued_at")
        .limit(200)
        .to_list()
    )
