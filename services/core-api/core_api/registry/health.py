"""The health gate: shells report whether a fragment version loaded and mounted; a canary
that fails for too many of its users within the window is aborted automatically.

Rates count distinct users, not reports: one user reloading (or scripting) a hundred
failures counts once. A user may only report on the version they are given, so nobody can
sink a canary they are not on, and reports are rate-limited per user."""

from datetime import timedelta
from typing import Any

from fastapi import HTTPException
from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from pymongo.errors import DuplicateKeyError

from core_api.models import utc_now
from core_api.registry.errors import RegistryCode, conflict, registry_error
from core_api.registry.manifest import assigned_version
from core_api.registry.models import Fragment, HealthSample
from core_api.registry.schemas import HealthReportAccepted, HealthReportIn
from core_api.registry.service import Registry
from platform_common.tokens import Principal

FAILURE_KINDS = ("load", "integrity", "mount", "runtime")

# Samples are kept this long past the window: a little slack for clocks of other processes.
SAMPLE_RETENTION_MARGIN = timedelta(minutes=1)

# The registry itself, as the actor of automatic aborts in the audit trail.
HEALTH_GATE = Principal(
    subject="system:canary-health-gate", roles=frozenset(), token_id="", expires_at=0
)


class HealthGate:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.settings = registry.settings
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._limit = RateLimitItemPerMinute(self.settings.health_reports_per_minute)

    async def report(self, principal: Principal, report: HealthReportIn) -> HealthReportAccepted:
        if not await self._limiter.hit(self._limit, principal.subject):
            raise registry_error(
                429,
                RegistryCode.REPORTS_RATE_LIMITED,
                f"At most {self.settings.health_reports_per_minute} reports a minute per user",
            )
        fragment = await self.registry.readable(principal, report.fragment)
        _check_served(fragment, principal, report.version)
        await _record(fragment.name, principal.subject, report)
        aborted = False
        if fragment.canary and fragment.canary.version == report.version:
            aborted = await self._judge(fragment, fragment.canary.version)
        return HealthReportAccepted(accepted=True, canary_aborted=aborted)

    async def _judge(self, fragment: Fragment, canary: str) -> bool:
        rates = await self.rates(fragment.name, canary)
        threshold = self.settings.canary_failure_threshold
        if rates["reporters"] < self.settings.canary_min_reporters:
            return False
        if rates["failure_rate"] <= threshold:
            return False
        reason = (
            f"{rates['failures']} of {rates['reporters']} users saw version "
            f"{canary} fail within {self.settings.canary_window_s}s "
            f"({rates['failure_rate']:.0%} > {threshold:.0%})"
        )
        try:
            await self.registry.drop_canary(HEALTH_GATE, fragment, reason)
        except HTTPException as error:
            if error.status_code == 409:
                return False  # another report or an operator changed it first
            raise
        return True

    async def rates(self, name: str, version: str) -> dict[str, Any]:
        since = utc_now() - timedelta(seconds=self.settings.canary_window_s)
        scope = {"fragment": name, "version": version}
        collection = HealthSample.get_pymongo_collection()
        reporters = await collection.count_documents(scope | {"last_at": {"$gte": since}})
        failed = scope | {"failed_at": {"$gte": since}}
        by_kind = {
            kind: await collection.count_documents(failed | {"failure": kind})
            for kind in FAILURE_KINDS
        }
        failures = sum(by_kind.values())
        return {
            "version": version,
            "reporters": reporters,
            "failures": failures,
            "failure_rate": failures / reporters if reporters else 0.0,
            "failures_by_kind": by_kind,
        }

    async def health(self, fragment: Fragment) -> dict[str, Any]:
        versions = []
        for version in fragment.served_versions():
            rates = await self.rates(fragment.name, version)
            rates["role"] = "active" if version == fragment.active_version else "canary"
            versions.append(rates)
        return {
            "fragment": fragment.name,
            "window_s": self.settings.canary_window_s,
            "failure_threshold": self.settings.canary_failure_threshold,
            "min_reporters": self.settings.canary_min_reporters,
            "versions": versions,
        }


def _check_served(fragment: Fragment, principal: Principal, version: str) -> None:
    """Users report on what they are given: the version assigned to them, or the active one
    (which they get when the canary's roles leave them out)."""
    if not fragment.enabled or version not in (
        assigned_version(fragment, principal),
        fragment.active_version,
    ):
        raise conflict(
            RegistryCode.VERSION_NOT_SERVED,
            f"Version {version!r} of {fragment.name!r} is not the one served to you",
        )


async def _record(name: str, reporter: str, report: HealthReportIn) -> None:
    now = utc_now()
    state: dict[str, Any] = {"last_at": now}
    if report.outcome == "failure":
        state |= {"failed_at": now, "failure": report.failure or "runtime"}
    sample = {"fragment": name, "version": report.version, "reporter": reporter}
    collection = HealthSample.get_pymongo_collection()
    try:
        await collection.update_one(sample, {"$set": state}, upsert=True)
    except DuplicateKeyError:
        # A concurrent report by the same user created the sample first.
        await collection.update_one(sample, {"$set": state})


async def prune_samples(window_s: int) -> int:
    """Deletes samples nobody reported on within the window: they count for nothing."""
    horizon = utc_now() - timedelta(seconds=window_s) - SAMPLE_RETENTION_MARGIN
    result = await HealthSample.get_pymongo_collection().delete_many({"last_at": {"$lt": horizon}})
    return result.deleted_count
