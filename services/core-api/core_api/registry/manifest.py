"""What one user's shell loads now: per visible fragment exactly one version, the canary side
chosen by a stable hash of the user and the fragment so it is the same on every load, each
with the origin its files come from (the gateway's CSP names exactly those). Built to the one
manifest schema, platform_common.manifest_contract."""

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog

from core_api.registry.models import Fragment, FragmentVersion, OverrideGrant, roles_admit
from core_api.registry.service import Registry
from core_api.registry.settings import SDK_PACKAGE
from platform_common.tokens import Principal

log = structlog.get_logger("core-api")

MANIFEST_CONTRACT = "1"
# How long one process reuses what it read from the store. Changes made by this process
# are seen at once; those made by another process within this time.
SNAPSHOT_MAX_AGE_S = 0.5


def canary_bucket(user_id: str, fragment: str) -> float:
    """A number in [0, 100) fixed for this user and fragment; independent per fragment, so
    the same users are not always the guinea pigs."""
    digest = hashlib.sha256(f"{fragment}\0{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") * 100 / 2**64


def assigned_version(fragment: Fragment, principal: Principal | None) -> str | None:
    """The version this user is given. Anonymous visitors have no stable identity, so they
    always get the active version."""
    canary = fragment.canary
    if canary and principal and canary_bucket(principal.subject, fragment.name) < canary.percentage:
        return canary.version
    return fragment.active_version


@dataclass
class Snapshot:
    fragments: list[Fragment]
    versions: dict[tuple[str, str], FragmentVersion]
    generation: int
    loaded_at: float = field(default_factory=time.monotonic)

    def fresh(self, generation: int) -> bool:
        age = time.monotonic() - self.loaded_at
        return generation == self.generation and age < SNAPSHOT_MAX_AGE_S


class ManifestBuilder:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._snapshot: Snapshot | None = None

    async def build(
        self, principal: Principal | None, overrides: Sequence[OverrideGrant] = ()
    ) -> dict[str, Any]:
        snapshot = await self._current()
        by_fragment = {grant.fragment: grant for grant in overrides}
        entries = []
        for fragment in snapshot.fragments:
            version = self._served(snapshot, fragment, principal)
            if version is None:
                continue
            entry = _entry(version, canary=version.version != fragment.active_version)
            if grant := by_fragment.get(fragment.name):
                entry |= {
                    "origin": grant.origin,
                    "entry": grant.entry,
                    "integrity": None,
                    "css": [{"url": url, "integrity": None} for url in grant.css],
                    "preload": [],
                }
                entry["override"] = True
            entries.append(entry)
        entries.sort(key=lambda e: ((e["nav"] or {}).get("order", 10_000), e["name"]))
        settings = self.registry.settings
        return {
            "contract": MANIFEST_CONTRACT,
            # The SDK version published versions' ranges were checked against (SDK_INCOMPATIBLE).
            "shared": {**settings.fragment_shared, SDK_PACKAGE: settings.sdk_version},
            "fragments": entries,
        }

    def _served(
        self, snapshot: Snapshot, fragment: Fragment, principal: Principal | None
    ) -> FragmentVersion | None:
        def servable(version: FragmentVersion | None) -> bool:
            # Its origin still admitted: an admin who removes a fragment's origin, or a policy
            # that drops one, takes its versions off every page on the next load.
            return (
                version is not None
                and roles_admit(version.roles, principal)
                and settings.fragment_origin_allowed(version.origin, fragment.origins)
            )

        settings = self.registry.settings
        stable = snapshot.versions.get((fragment.name, fragment.active_version or ""))
        if not servable(stable):
            return None
        chosen = snapshot.versions.get((fragment.name, assigned_version(fragment, principal) or ""))
        return chosen if servable(chosen) else stable

    async def _current(self) -> Snapshot:
        generation = self.registry.generation
        if self._snapshot is None or not self._snapshot.fresh(generation):
            self._snapshot = await _load(generation)
        return self._snapshot


async def _load(generation: int) -> Snapshot:
    fragments = await Fragment.find({"enabled": True, "active_version": {"$ne": None}}).to_list()
    wanted = [
        {"fragment": fragment.name, "version": version}
        for fragment in fragments
        for version in fragment.served_versions()
    ]
    versions = await FragmentVersion.find({"$or": wanted}).to_list() if wanted else []
    for version in versions:
        _warn_of_unpinned_css(version)
    return Snapshot(
        fragments=fragments,
        versions={(v.fragment, v.version): v for v in versions},
        generation=generation,
    )


def _warn_of_unpinned_css(version: FragmentVersion) -> None:
    if unpinned := version.unpinned_css():
        log.warning(
            "fragment stylesheets without integrity are not served; republish the version",
            fragment=version.fragment,
            version=version.version,
            stylesheets=unpinned,
        )


def _entry(version: FragmentVersion, *, canary: bool) -> dict[str, Any]:
    return {
        "name": version.fragment,
        "version": version.version,
        "origin": version.origin,
        "entry": version.entry,
        "integrity": version.integrity,
        # Only stylesheets pinned by integrity: the browser must never apply unchecked CSS.
        "css": [sheet.model_dump() for sheet in version.css if sheet.pinned],
        "preload": version.preload,
        "routes": version.routes,
        "nav": version.nav.model_dump() if version.nav else None,
        "canary": canary,
    }


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def encode(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, separators=(",", ":"), sort_keys=True).encode()
