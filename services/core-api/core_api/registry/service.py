"""The fragment registry: registering fragments, publishing versions and changing which
version is live. Every change applies only to the revision it was computed from (claimed
first, so of concurrent changes exactly one wins), and is audited and emitted as a
`fragment.*` event. A change that starts serving routes also waits for the registry-wide
turn to do so (route_turns.py), so fragments changed at once cannot both take a path."""

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from pymongo.errors import DuplicateKeyError

from core_api import audit
from core_api.events import EventBus, Visibility
from core_api.models import utc_now
from core_api.registry.checks import (
    ENTRY,
    STYLESHEET,
    check_bytes,
    check_contract,
    check_integrity_syntax,
    check_no_collision,
    check_origins,
    check_route_syntax,
    check_sdk,
    check_semver,
    semver_sort_key,
)
from core_api.registry.errors import (
    RegistryCode,
    conflict,
    forbidden,
    not_found,
)
from core_api.registry.models import Canary, Fragment, FragmentVersion
from core_api.registry.origins import registered_origin
from core_api.registry.route_turns import end_turn, take_turn
from core_api.registry.schemas import FragmentIn, VersionIn
from core_api.registry.settings import SDK_PACKAGE, RegistrySettingsMixin
from core_api.version_claims import FRAGMENT_REVISION, VersionClaims
from platform_common.tokens import Principal

Change = Callable[[Fragment], None]


class Registry:
    def __init__(
        self,
        settings: RegistrySettingsMixin,
        http: httpx.AsyncClient,
        events: EventBus,
        claims: VersionClaims,
    ) -> None:
        self.settings = settings
        self.http = http
        self.events = events
        self.claims = claims
        # Bumped on every change made by this process, so its manifest cache never lags it.
        self.generation = 0

    # -- reading ------------------------------------------------------------------------

    async def fragment(self, name: str) -> Fragment:
        fragment = await Fragment.find_one(Fragment.name == name)
        if fragment is None:
            raise _no_fragment(name)
        return fragment

    async def readable(self, reader: Principal, name: str) -> Fragment:
        """The fragment, when the caller may read it; to anyone else it does not exist
        (404, like an unknown name), so names cannot be probed."""
        fragment = await self.fragment(name)
        if not fragment.readable_by(reader):
            raise _no_fragment(name)
        return fragment

    async def fragments(self, reader: Principal) -> list[Fragment]:
        found = await Fragment.find_all().sort("+name").to_list()
        return [fragment for fragment in found if fragment.readable_by(reader)]

    async def version(self, name: str, version: str) -> FragmentVersion:
        found = await FragmentVersion.find_one(
            FragmentVersion.fragment == name, FragmentVersion.version == version
        )
        if found is None:
            raise not_found(
                RegistryCode.VERSION_NOT_FOUND, f"Fragment {name!r} has no version {version!r}"
            )
        return found

    async def versions(self, name: str) -> list[FragmentVersion]:
        found = await FragmentVersion.find(FragmentVersion.fragment == name).to_list()
        return sorted(found, key=lambda v: semver_sort_key(v.version), reverse=True)

    # -- registering and publishing -------------------------------------------------------

    async def register(self, actor: Principal, payload: FragmentIn) -> Fragment:
        fragment = Fragment(
            name=payload.name,
            publisher_role=payload.publisher_role or f"publisher:{payload.name}",
            description=payload.description,
            roles=sorted(set(payload.roles)),
        )
        try:
            await fragment.insert()
        except DuplicateKeyError as error:
            raise conflict(
                RegistryCode.FRAGMENT_EXISTS, f"A fragment named {payload.name!r} exists"
            ) from error
        await self._announce(actor, "fragment.registered", fragment, None)
        return fragment

    async def publish(self, actor: Principal, name: str, payload: VersionIn) -> FragmentVersion:
        fragment = await self.operable(actor, name)
        origin = await self._check_new_version(fragment, payload)
        version = FragmentVersion(
            fragment=name,
            origin=origin,
            **payload.model_dump(exclude={"roles"}),
            roles=sorted(set(payload.roles or fragment.roles)),
            created_by=actor.subject,
        )
        try:
            await version.insert()
        except DuplicateKeyError as error:
            raise _version_exists(name, payload.version) from error
        await audit.record(
            actor, "fragment.version_published", "fragment", name, None, version.public()
        )
        await self.events.publish(
            "fragment.version_published", version.public(), visible_to=_operators(fragment)
        )
        return version

    async def _check_new_version(self, fragment: Fragment, payload: VersionIn) -> str:
        """Cheap checks first; the entry is fetched only when everything else is right. The
        version's origin, admitted by the platform's policy or the fragment's own origins."""
        settings = self.settings
        check_semver(payload.version)
        if await FragmentVersion.find_one(
            FragmentVersion.fragment == fragment.name, FragmentVersion.version == payload.version
        ):
            raise _version_exists(fragment.name, payload.version)
        self._check_contract(payload.contract)
        check_sdk(SDK_PACKAGE, payload.shared.get(SDK_PACKAGE), settings.sdk_version)
        origin = check_origins(
            payload,
            lambda candidate: settings.fragment_origin_allowed(candidate, fragment.origins),
            settings.describe_fragment_origins(fragment.origins),
        )
        check_integrity_syntax(payload)
        check_route_syntax(payload.routes)
        await self._check_collisions(fragment.name, payload.routes)
        files = [(payload.entry, payload.integrity, ENTRY)]
        files += [(sheet.url, sheet.integrity, STYLESHEET) for sheet in payload.css]
        for url, declared, kind in files:
            await check_bytes(
                self.http,
                url,
                declared,
                kind,
                timeout_s=settings.fragment_fetch_timeout_s,
                max_bytes=settings.fragment_entry_max_bytes,
            )
        return origin

    def _check_contract(self, contract: str) -> None:
        check_contract(contract, self.settings.fragment_contracts)

    async def _check_collisions(self, name: str, routes: list[str]) -> None:
        """Routes must not overlap those of another enabled fragment's served versions.
        (At publish this is advice: a version serves nothing until a change serves it, and
        that change checks again in its turn.)"""
        check_no_collision(routes, await self._routes_of_others(name))

    async def _routes_of_others(self, name: str) -> dict[str, list[str]]:
        others = await Fragment.find({"enabled": True, "name": {"$ne": name}}).to_list()
        taken: dict[str, list[str]] = {}
        for other in others:
            for served in other.served_versions():
                version = await FragmentVersion.find_one(
                    FragmentVersion.fragment == other.name, FragmentVersion.version == served
                )
                if version:
                    taken.setdefault(other.name, []).extend(version.routes)
        return taken

    async def set_origins(self, actor: Principal, name: str, origins: list[str]) -> Fragment:
        """An admin's change: the origins the fragment's versions may be published from besides
        the platform's policy. Versions already published stay, but one whose origin is
        no longer admitted is left out of the manifests (manifest.py)."""
        fragment = await self.readable(actor, name)
        development = self.settings.development
        wanted = sorted({registered_origin(origin, development=development) for origin in origins})
        if fragment.origins == wanted:
            return fragment

        def replace_origins(target: Fragment) -> None:
            target.origins = wanted

        return await self._change(actor, fragment, "fragment.origins_changed", replace_origins)

    # -- changing what is live ------------------------------------------------------------

    async def activate(self, actor: Principal, name: str, version: str) -> Fragment:
        fragment = await self.operable(actor, name)
        chosen = await self.version(name, version)
        if fragment.active_version == version:
            return fragment
        if fragment.canary:
            raise conflict(
                RegistryCode.CANARY_IN_PROGRESS,
                f"Version {fragment.canary.version} is in canary: promote or abort it first",
            )
        self._check_contract(chosen.contract)
        return await self._change(
            actor,
            fragment,
            "fragment.activated",
            _make_active(version),
            serves=_newly_served(fragment, chosen),
        )

    async def rollback(self, actor: Principal, name: str) -> Fragment:
        fragment = await self.operable(actor, name)
        if not fragment.history:
            raise conflict(
                RegistryCode.NO_PREVIOUS_VERSION, f"Fragment {name!r} has no previous version"
            )
        previous = await self.version(name, fragment.history[-1])
        self._check_contract(previous.contract)

        def roll_back(target: Fragment) -> None:
            target.active_version = target.history.pop()
            target.canary = None  # rolling back is taking everything new off the stage

        return await self._change(
            actor,
            fragment,
            "fragment.rolled_back",
            roll_back,
            serves=_newly_served(fragment, previous),
        )

    async def start_canary(
        self, actor: Principal, name: str, version: str, percentage: int
    ) -> Fragment:
        fragment = await self.operable(actor, name)
        chosen = await self.version(name, version)
        if fragment.active_version is None:
            raise conflict(
                RegistryCode.NO_ACTIVE_VERSION,
                "A canary needs an active version to compare with: activate one first",
            )
        if fragment.active_version == version:
            raise conflict(
                RegistryCode.CANARY_IS_ACTIVE_VERSION, f"Version {version} is already active"
            )
        self._check_contract(chosen.contract)
        canary = Canary(
            version=version, percentage=percentage, started_at=utc_now(), started_by=actor.subject
        )
        if fragment.canary and fragment.canary.version == version:
            canary.started_at = fragment.canary.started_at  # a ramp-up, not a new canary

        def set_canary(target: Fragment) -> None:
            target.canary = canary

        return await self._change(
            actor,
            fragment,
            "fragment.canary_started",
            set_canary,
            serves=_newly_served(fragment, chosen),
        )

    async def promote_canary(self, actor: Principal, name: str) -> Fragment:
        fragment = await self.operable(actor, name)
        if fragment.canary is None:
            raise conflict(RegistryCode.NO_CANARY, f"Fragment {name!r} has no canary")
        return await self._change(
            actor, fragment, "fragment.canary_promoted", _make_active(fragment.canary.version)
        )

    async def abort_canary(self, actor: Principal, name: str) -> Fragment:
        fragment = await self.operable(actor, name)
        return await self.drop_canary(actor, fragment, "aborted by hand")

    async def drop_canary(self, actor: Principal, fragment: Fragment, reason: str) -> Fragment:
        """Ends the canary without a role check: the caller decided (an operator, or the
        health gate acting as the registry itself)."""
        if fragment.canary is None:
            raise conflict(RegistryCode.NO_CANARY, f"Fragment {fragment.name!r} has no canary")
        extra = {"aborted_version": fragment.canary.version, "reason": reason}
        return await self._change(
            actor, fragment, "fragment.canary_aborted", _drop_canary, extra=extra
        )

    async def set_enabled(self, actor: Principal, name: str, enabled: bool) -> Fragment:
        fragment = await self.operable(actor, name)
        if fragment.enabled == enabled:
            return fragment
        routes = []
        if enabled:
            for served in fragment.served_versions():
                routes.extend((await self.version(name, served)).routes)

        def toggle(target: Fragment) -> None:
            target.enabled = enabled

        action = "fragment.enabled" if enabled else "fragment.disabled"
        return await self._change(actor, fragment, action, toggle, serves=routes)

    async def operable(self, actor: Principal, name: str) -> Fragment:
        fragment = await self.readable(actor, name)
        self.require_publisher(actor, fragment)
        return fragment

    @staticmethod
    def require_publisher(actor: Principal, fragment: Fragment) -> None:
        if not (actor.is_admin or actor.has_role(fragment.publisher_role)):
            raise forbidden(
                RegistryCode.PUBLISHER_ROLE_REQUIRED,
                f"Only admins and holders of {fragment.publisher_role!r} may do this",
            )

    async def _change(
        self,
        actor: Principal,
        fragment: Fragment,
        action: str,
        change: Change,
        extra: dict[str, Any] | None = None,
        *,
        serves: list[str] | None = None,
    ) -> Fragment:
        """Applies `change` to the revision read. `serves`: the routes it starts serving,
        checked for collisions in the registry-wide turn. Runs to its end even when the
        caller is cancelled (a client gone, a shutdown): stopped between a claim and what
        follows it, the change would block this fragment, or every change serving routes,
        until the sweep."""
        return await asyncio.shield(self._apply(actor, fragment, action, change, extra, serves))

    async def _apply(
        self,
        actor: Principal,
        fragment: Fragment,
        action: str,
        change: Change,
        extra: dict[str, Any] | None,
        serves: list[str] | None,
    ) -> Fragment:
        before = fragment.public()
        revision = fragment.revision
        # The store's answer to a conditional update cannot be trusted under concurrency
        # (FerretDB v1): only the one claimant of this revision may write.
        if not await self.claims.claim(FRAGMENT_REVISION, fragment.id, revision):
            raise _changed_concurrently(fragment.name)
        turn = None
        try:
            if serves:
                turn = await take_turn(
                    self.claims, lambda: self._check_collisions(fragment.name, serves)
                )
            written = await self._write(fragment, revision, change)
        except BaseException:
            await self.claims.release(FRAGMENT_REVISION, {fragment.id: revision})
            raise
        finally:
            if turn is not None:
                await end_turn(turn)
        if not written:
            raise _changed_concurrently(fragment.name)
        self.generation += 1
        await self._announce(actor, action, fragment, before, extra)
        return fragment

    @staticmethod
    async def _write(fragment: Fragment, revision: int, change: Change) -> bool:
        change(fragment)
        fragment.revision = revision + 1
        fragment.updated_at = utc_now()
        state = fragment.model_dump(exclude={"id", "revision_id", "name", "created_at"})
        result = await Fragment.get_pymongo_collection().update_one(
            {"_id": fragment.id, "revision": revision}, {"$set": state}
        )
        return result.matched_count > 0

    async def _announce(
        self,
        actor: Principal,
        action: str,
        fragment: Fragment,
        before: dict[str, Any] | None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        after = fragment.public() | (extra or {})
        await audit.record(actor, action, "fragment", fragment.name, before, after)
        await self.events.publish(action, after, visible_to=_audience(fragment))


def _no_fragment(name: str) -> Exception:
    return not_found(RegistryCode.FRAGMENT_NOT_FOUND, f"No fragment is named {name!r}")


def _changed_concurrently(name: str) -> Exception:
    return conflict(
        RegistryCode.FRAGMENT_CHANGED_CONCURRENTLY,
        f"Fragment {name!r} changed while this was applied: reload and retry",
    )


def _make_active(version: str) -> Change:
    def make_active(fragment: Fragment) -> None:
        if fragment.active_version:
            fragment.history.append(fragment.active_version)
        fragment.active_version = version
        fragment.canary = None

    return make_active


def _newly_served(fragment: Fragment, version: FragmentVersion) -> list[str]:
    """The routes a change that serves `version` starts serving: none while the fragment is
    disabled (enabling it checks all it serves)."""
    return version.routes if fragment.enabled else []


def _drop_canary(fragment: Fragment) -> None:
    fragment.canary = None


def _version_exists(name: str, version: str) -> Exception:
    return conflict(
        RegistryCode.VERSION_EXISTS,
        f"Fragment {name!r} already has version {version}: versions are immutable, publish a new one",
    )


def _operators(fragment: Fragment) -> Visibility:
    return Visibility.to_roles(fragment.publisher_role)


def _audience(fragment: Fragment) -> Visibility:
    """Operators, and everyone whose shell shows the fragment (so it can reload its manifest)."""
    return Visibility.to_roles(fragment.publisher_role, *fragment.roles)
