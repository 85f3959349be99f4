"""/fragments: the fragment registry (register, publish, activate, roll back, canary,
disable), the manifest shells load, health reports, and local-override tokens."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response, status

from core_api.deps import (
    AdminPrincipal,
    BearerToken,
    CurrentPrincipal,
    OptionalPrincipal,
    Principals,
    Settings,
)
from core_api.errors import ADMIN_ONLY
from core_api.periodic import every
from core_api.registry import overrides
from core_api.registry.errors import (
    CHANGE,
    HEALTH_REPORT,
    ISSUE,
    OPERABLE,
    PUBLISH,
    READABLE,
    REDEEM,
    REVOKE,
    SERVING_CHANGE,
    VERSION_READ,
    RegistryCode,
    unprocessable,
)
from core_api.registry.health import HealthGate, prune_samples
from core_api.registry.manifest import ManifestBuilder, encode, etag_of
from core_api.registry.schemas import (
    CanaryIn,
    FragmentIn,
    FragmentOriginsIn,
    FragmentOut,
    HealthReportAccepted,
    HealthReportIn,
    OverrideIn,
    OverrideIssued,
    OverrideOut,
    VersionIn,
    VersionOut,
    VersionRef,
)
from core_api.registry.service import Registry
from core_api.registry.settings import RegistrySettingsMixin
from core_api.registry.users import UserDirectory
from platform_common.api_docs import conditional, etag
from platform_common.errors import error_responses
from platform_common.manifest_contract import Manifest

# Paths under /fragments that a fragment name would shadow.
RESERVED_NAMES = {"manifest", "health-reports"}
MAX_OVERRIDES = 10


@asynccontextmanager
async def registry_lifespan(app: FastAPI, settings: RegistrySettingsMixin) -> AsyncIterator[None]:
    """Needs `app.state.events`, `app.state.version_claims` and the store: enter it inside
    their lifespans."""

    async def prune() -> int:
        return await prune_samples(settings.canary_window_s)

    async with (
        httpx.AsyncClient(headers={"User-Agent": "farm-fragment-registry"}) as http,
        every(settings.fragment_upkeep_interval_s, prune, "pruning health samples"),
    ):
        registry = Registry(settings, http, app.state.events, app.state.version_claims)
        app.state.registry = registry
        app.state.manifest = ManifestBuilder(registry)
        app.state.health_gate = HealthGate(registry)
        yield


def _registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


def _manifest(request: Request) -> ManifestBuilder:
    builder: ManifestBuilder = request.app.state.manifest
    return builder


def _health_gate(request: Request) -> HealthGate:
    gate: HealthGate = request.app.state.health_gate
    return gate


RegistryDep = Annotated[Registry, Depends(_registry)]

router = APIRouter(prefix="/fragments", tags=["fragments"])


@router.get(
    "/manifest",
    name="fragments_manifest",
    # Documents the answer: the route writes its bytes itself (ETag, 304).
    response_model=Manifest,
    summary="What the caller's shell should load now (public: no token needed)",
    responses={**etag(200, 304), **error_responses(REDEEM)},
    # A token is optional: the manifest of an anonymous visitor or of the caller.
    openapi_extra={**conditional(if_none_match=True), "security": [{}, {"HTTPBearer": []}]},
)
async def manifest(
    request: Request,
    principal: OptionalPrincipal,
    builder: Annotated[ManifestBuilder, Depends(_manifest)],
    override: Annotated[
        list[str] | None, Query(description="Local-override tokens to apply")
    ] = None,
) -> Response:
    tokens = override or []
    if len(tokens) > MAX_OVERRIDES:
        raise unprocessable(
            RegistryCode.OVERRIDE_INVALID, f"At most {MAX_OVERRIDES} override tokens at once"
        )
    registry = builder.registry
    grants = [
        await overrides.redeem(registry.settings, registry.claims, token, principal)
        for token in tokens
    ]
    body = encode(await builder.build(principal, grants))
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Authorization"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.post(
    "/health-reports",
    name="fragments_report_health",
    response_model=HealthReportAccepted,
    responses=error_responses(HEALTH_REPORT),
    status_code=status.HTTP_202_ACCEPTED,
    summary="Report that a fragment version loaded or failed in the caller's shell",
)
async def report_health(
    principal: CurrentPrincipal,
    report: HealthReportIn,
    gate: Annotated[HealthGate, Depends(_health_gate)],
) -> HealthReportAccepted:
    return await gate.report(principal, report)


@router.get(
    "",
    name="fragments_list",
    response_model=list[FragmentOut],
    summary="List fragments and what is live",
)
async def list_fragments(reader: CurrentPrincipal, registry: RegistryDep) -> list[dict[str, Any]]:
    return [f.public() for f in await registry.fragments(reader)]


@router.post(
    "",
    name="fragments_register",
    responses=error_responses(
        ADMIN_ONLY,
        {
            409: [RegistryCode.FRAGMENT_EXISTS],
            422: [RegistryCode.FRAGMENT_NAME_INVALID],
        },
    ),
    response_model=FragmentOut,
    status_code=status.HTTP_201_CREATED,
    summary="Register a fragment (admin)",
)
async def register_fragment(
    actor: AdminPrincipal, payload: FragmentIn, registry: RegistryDep
) -> dict[str, Any]:
    if payload.name in RESERVED_NAMES:
        raise unprocessable(RegistryCode.FRAGMENT_NAME_INVALID, f"{payload.name!r} is reserved")
    return (await registry.register(actor, payload)).public()


@router.get(
    "/{name}",
    name="fragments_get",
    responses=error_responses(READABLE),
    response_model=FragmentOut,
    summary="One fragment and what is live",
)
async def get_fragment(
    reader: CurrentPrincipal, name: str, registry: RegistryDep
) -> dict[str, Any]:
    return (await registry.readable(reader, name)).public()


@router.put(
    "/{name}/origins",
    name="fragments_origins_put",
    responses=error_responses(ADMIN_ONLY, READABLE, CHANGE, {422: [RegistryCode.ORIGIN_INVALID]}),
    response_model=FragmentOut,
    summary="Set the origins the fragment's files may be served from besides the platform's (admin)",
)
async def put_origins(
    actor: AdminPrincipal, name: str, payload: FragmentOriginsIn, registry: RegistryDep
) -> dict[str, Any]:
    return (await registry.set_origins(actor, name, payload.origins)).public()


@router.get(
    "/{name}/versions",
    name="fragments_versions_list",
    responses=error_responses(READABLE),
    response_model=list[VersionOut],
    summary="The fragment's versions, newest first",
)
async def list_versions(
    reader: CurrentPrincipal, name: str, registry: RegistryDep
) -> list[dict[str, Any]]:
    await registry.readable(reader, name)
    return [v.public() for v in await registry.versions(name)]


@router.get(
    "/{name}/versions/{version}",
    name="fragments_version_get",
    responses=error_responses(READABLE, VERSION_READ),
    response_model=VersionOut,
    summary="One version",
)
async def get_version(
    reader: CurrentPrincipal, name: str, version: str, registry: RegistryDep
) -> dict[str, Any]:
    await registry.readable(reader, name)
    return (await registry.version(name, version)).public()


@router.post(
    "/{name}/versions",
    name="fragments_publish",
    responses=error_responses(OPERABLE, PUBLISH),
    response_model=VersionOut,
    status_code=status.HTTP_201_CREATED,
    summary="Publish a version (the fragment's publisher role or admin); it is checked first",
)
async def publish_version(
    actor: CurrentPrincipal, name: str, payload: VersionIn, registry: RegistryDep
) -> dict[str, Any]:
    return (await registry.publish(actor, name, payload)).public()


@router.post(
    "/{name}/activate",
    name="fragments_activate",
    responses=error_responses(
        OPERABLE, VERSION_READ, SERVING_CHANGE, {409: [RegistryCode.CANARY_IN_PROGRESS]}
    ),
    response_model=FragmentOut,
    summary="Make a version live for everyone who may see it",
)
async def activate(
    actor: CurrentPrincipal, name: str, payload: VersionRef, registry: RegistryDep
) -> dict[str, Any]:
    return (await registry.activate(actor, name, payload.version)).public()


@router.post(
    "/{name}/rollback",
    name="fragments_rollback",
    responses=error_responses(
        OPERABLE, VERSION_READ, SERVING_CHANGE, {409: [RegistryCode.NO_PREVIOUS_VERSION]}
    ),
    response_model=FragmentOut,
    summary="Return to the previously active version",
)
async def rollback(actor: CurrentPrincipal, name: str, registry: RegistryDep) -> dict[str, Any]:
    return (await registry.rollback(actor, name)).public()


@router.post(
    "/{name}/canary",
    name="fragments_canary_start",
    responses=error_responses(
        OPERABLE,
        VERSION_READ,
        SERVING_CHANGE,
        {409: [RegistryCode.NO_ACTIVE_VERSION, RegistryCode.CANARY_IS_ACTIVE_VERSION]},
    ),
    response_model=FragmentOut,
    summary="Show a version to a percentage of signed-in users",
)
async def start_canary(
    actor: CurrentPrincipal, name: str, payload: CanaryIn, registry: RegistryDep
) -> dict[str, Any]:
    fragment = await registry.start_canary(actor, name, payload.version, payload.percentage)
    return fragment.public()


@router.post(
    "/{name}/canary/promote",
    name="fragments_canary_promote",
    responses=error_responses(OPERABLE, CHANGE, {409: [RegistryCode.NO_CANARY]}),
    response_model=FragmentOut,
    summary="Make the canary the active version",
)
async def promote_canary(
    actor: CurrentPrincipal, name: str, registry: RegistryDep
) -> dict[str, Any]:
    return (await registry.promote_canary(actor, name)).public()


@router.post(
    "/{name}/canary/abort",
    name="fragments_canary_abort",
    responses=error_responses(OPERABLE, CHANGE, {409: [RegistryCode.NO_CANARY]}),
    response_model=FragmentOut,
    summary="End the canary; everyone gets the active version",
)
async def abort_canary(actor: CurrentPrincipal, name: str, registry: RegistryDep) -> dict[str, Any]:
    return (await registry.abort_canary(actor, name)).public()


@router.post(
    "/{name}/disable",
    name="fragments_disable",
    responses=error_responses(OPERABLE, CHANGE),
    response_model=FragmentOut,
    summary="Take the fragment out of every manifest",
)
async def disable(actor: CurrentPrincipal, name: str, registry: RegistryDep) -> dict[str, Any]:
    return (await registry.set_enabled(actor, name, False)).public()


@router.post(
    "/{name}/enable",
    name="fragments_enable",
    responses=error_responses(OPERABLE, VERSION_READ, SERVING_CHANGE),
    response_model=FragmentOut,
    summary="Put a disabled fragment back",
)
async def enable(actor: CurrentPrincipal, name: str, registry: RegistryDep) -> dict[str, Any]:
    return (await registry.set_enabled(actor, name, True)).public()


@router.get(
    "/{name}/health",
    name="fragments_health",
    responses=error_responses(READABLE),
    summary="Failure rates per served version over the window",
)
async def health(
    reader: CurrentPrincipal,
    name: str,
    registry: RegistryDep,
    gate: Annotated[HealthGate, Depends(_health_gate)],
) -> dict[str, Any]:
    return await gate.health(await registry.readable(reader, name))


@router.post(
    "/{name}/overrides",
    name="overrides_issue",
    responses=error_responses(OPERABLE, ISSUE),
    response_model=OverrideIssued,
    status_code=status.HTTP_201_CREATED,
    summary="Issue a local-override token (a publisher for themselves, an admin for any user)",
)
async def issue_override(
    actor: CurrentPrincipal,
    name: str,
    payload: OverrideIn,
    registry: RegistryDep,
    principals: Principals,
    settings: Settings,
    bearer: BearerToken,
) -> dict[str, Any]:
    fragment = await registry.operable(actor, name)
    users = UserDirectory(principals, registry.http, settings.auth_users_endpoint, bearer)
    token, grant = await overrides.issue(registry.settings, users, actor, fragment, payload)
    return {"token": token, **grant.public()}


@router.get(
    "/{name}/overrides",
    name="overrides_list",
    responses=error_responses(OPERABLE),
    response_model=list[OverrideOut],
    summary="Issued override tokens and their use",
)
async def list_overrides(
    actor: CurrentPrincipal, name: str, registry: RegistryDep
) -> list[dict[str, Any]]:
    fragment = await registry.operable(actor, name)
    return [grant.public() for grant in await overrides.grants(fragment)]


@router.delete(
    "/{name}/overrides/{token_id}",
    name="overrides_revoke",
    responses=error_responses(OPERABLE, REVOKE),
    response_model=OverrideOut,
    summary="Revoke an override token",
)
async def revoke_override(
    actor: CurrentPrincipal, name: str, token_id: str, registry: RegistryDep
) -> dict[str, Any]:
    fragment = await registry.operable(actor, name)
    return (await overrides.revoke(registry.claims, actor, fragment, token_id)).public()
