"""The checks a version must pass before the registry accepts it: the predicates, each with
the refusal (code and reason) that names its failure, and fetching the entry and stylesheets
to hash them."""

import base64
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import httpx
import nodesemver
import semver

from core_api.registry.errors import RegistryCode, conflict, unprocessable
from core_api.registry.origins import origin_of
from core_api.registry.schemas import VersionIn

_INTEGRITY = re.compile(r"^sha384-[A-Za-z0-9+/]{64}$")
# A route is an absolute path of plain segments, optionally ending in "/*" (the subtree):
# nothing a browser or proxy would rewrite (percent-escapes, backslashes, empty segments).
_ROUTE = re.compile(r"(/[A-Za-z0-9._~-]+)*(/\*)?")
_DOT_SEGMENTS = {".", ".."}
# The paths the platform serves itself, each with everything under it, and "/" (the shell's
# home page): the gateway's own routes (its API prefixes, docs, health and metrics), the
# shell's assets and the shell's own pages. The one list the registry checks fragment routes
# against; the gateway routes its paths itself (gateway/gateway/app.py) and keeps no copy.
PLATFORM_PATHS = (
    "/api",
    "/shell",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/healthz",
    "/readyz",
    "/metrics",
    "/login",
    "/register",
    "/forgot-password",
    "/reset-password",
    "/verify",
    "/account",
    "/robots.txt",
    "/.well-known",
    "/fragments",
)


def parse_semver(text: str) -> semver.Version | None:
    """The version, or None when `text` is not strict semver ("1.2.0", "2.0.0-rc.1")."""
    try:
        return semver.Version.parse(text)
    except (ValueError, TypeError):
        return None


def admits(npm_range: str, version: str) -> bool | None:
    """Whether an npm semver range ("^1.2.0", ">=1.1 <2") admits `version`; None when the
    range is not one (npm's own rules, which Python's semver libraries do not implement)."""
    if nodesemver.valid_range(npm_range, loose=False) is None:
        return None
    return bool(nodesemver.satisfies(version, npm_range, loose=False))


def semver_sort_key(text: str) -> semver.Version:
    return semver.Version.parse(text)


def off_origin(urls: list[str], allowed: Callable[[str], bool]) -> str | None:
    """The first URL whose origin `allowed` refuses (or not a URL at all), else None."""
    for url in urls:
        try:
            if not allowed(origin_of(url)):
                return url
        except ValueError:
            return url
    return None


def is_integrity(text: str) -> bool:
    return bool(_INTEGRITY.match(text))


def integrity_of(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


def is_route(text: str) -> bool:
    """Whether `text` is a normalized route: "/", "/*", "/a/b" or "/a/b/*", no "." or ".."."""
    if text in ("/", "/*"):
        return True
    if text == "" or not _ROUTE.fullmatch(text):
        return False
    segments, _ = _route_parts(text)
    return _DOT_SEGMENTS.isdisjoint(segments)


def platform_path_of(route: str) -> str | None:
    """The platform path a (normalized) route overlaps, else None. Compared without case: a
    fragment has no business with "/API/..." either, whatever a server does with case."""
    lowered = route.lower()
    if routes_overlap(lowered, "/"):
        return "/"
    for path in PLATFORM_PATHS:
        if routes_overlap(lowered, f"{path}/*"):
            return path
    return None


def _route_parts(route: str) -> tuple[list[str], bool]:
    subtree = route.endswith("/*")
    path = route[:-2] if subtree else route
    return [part for part in path.split("/") if part], subtree


def routes_overlap(first: str, second: str) -> bool:
    """Whether some path would be matched by both routes ("/a/*" covers "/a" and "/a/b")."""
    a, a_subtree = _route_parts(first)
    b, b_subtree = _route_parts(second)
    if a_subtree and b[: len(a)] == a:
        return True
    if b_subtree and a[: len(b)] == b:
        return True
    return a == b


def first_collision(routes: list[str], taken: dict[str, list[str]]) -> tuple[str, str, str] | None:
    """(route, other fragment, its route) for the first overlap with `taken`, else None."""
    for route in routes:
        for other, other_routes in taken.items():
            for other_route in other_routes:
                if routes_overlap(route, other_route):
                    return route, other, other_route
    return None


@dataclass(frozen=True)
class FetchProblem:
    """Why a file could not be hashed: "unreachable" or "too_large"; the caller names the code
    (the entry's and the stylesheets' differ)."""

    kind: Literal["unreachable", "too_large"]
    reason: str


async def fetch_integrity(
    http: httpx.AsyncClient, url: str, *, timeout_s: float, max_bytes: int
) -> str | FetchProblem:
    """Downloads a fragment's file (its entry or a stylesheet) once, with no redirects (they
    could leave the allowed origins), and returns its sha384 integrity, or the problem that
    prevented it."""
    try:
        async with http.stream("GET", url, timeout=timeout_s, follow_redirects=False) as response:
            if response.status_code != 200:
                return FetchProblem(
                    "unreachable", f"GET {url} answered {response.status_code}, not 200"
                )
            content = bytearray()
            async for chunk in response.aiter_bytes():
                content.extend(chunk)
                if len(content) > max_bytes:
                    return FetchProblem("too_large", f"{url} is larger than {max_bytes} bytes")
    except httpx.HTTPError as error:
        return FetchProblem(
            "unreachable", f"GET {url} failed: {type(error).__name__} {error}".strip()
        )
    return integrity_of(bytes(content))


# -- the checks: each predicate above with the refusal that names its failure ---------------


def check_semver(version: str) -> None:
    if parse_semver(version) is None:
        raise unprocessable(
            RegistryCode.VERSION_NOT_SEMVER,
            f"{version!r} is not a semantic version such as 1.4.0 or 2.0.0-rc.1",
        )


def check_contract(contract: str, supported: Sequence[str]) -> None:
    if contract not in supported:
        raise unprocessable(
            RegistryCode.CONTRACT_UNSUPPORTED,
            f"Contract {contract!r} is not supported by the shell"
            f" (supported: {', '.join(supported)})",
        )


def check_sdk(package: str, declared: str | None, platform: str) -> None:
    """A version built against an SDK range the platform's SDK is not in would call what
    the shell does not provide. Versions declaring no range (older tools) are accepted."""
    if declared is None:
        return
    admitted = admits(declared, platform)
    if admitted is None:
        raise unprocessable(
            RegistryCode.SDK_INCOMPATIBLE,
            f"shared[{package!r}] {declared!r} is not an npm semver range",
        )
    if not admitted:
        raise unprocessable(
            RegistryCode.SDK_INCOMPATIBLE,
            f"Built against {package} {declared}, but the platform provides {platform}:"
            f" build against a range that admits {platform}",
        )


def check_origins(payload: VersionIn, admitted: Callable[[str], bool], described: str) -> str:
    """The version's one origin, its entry's, which `admitted` must admit (`described` names
    what is, in the refusal); its stylesheets and preloads must be on it too, so the origin
    the registry records is all the page's CSP needs to name."""
    try:
        origin = origin_of(payload.entry)
    except ValueError:
        origin = None
    if origin is None or not admitted(origin):
        raise unprocessable(
            RegistryCode.ENTRY_ORIGIN_NOT_ALLOWED,
            f"{payload.entry} is not on an allowed origin ({described})",
        )
    assets = [sheet.url for sheet in payload.css] + payload.preload
    if url := off_origin(assets, lambda other: other == origin):
        raise unprocessable(
            RegistryCode.ASSET_ORIGIN_NOT_ALLOWED,
            f"{url} is not on the entry's origin {origin}: serve every file of a version from it",
        )
    return origin


def check_integrity_syntax(payload: VersionIn) -> None:
    declared = [("entry", payload.integrity)]
    declared += [(f"stylesheet {sheet.url}", sheet.integrity) for sheet in payload.css]
    for what, integrity in declared:
        if not is_integrity(integrity):
            raise unprocessable(
                RegistryCode.INTEGRITY_MALFORMED,
                f'The integrity of the {what} must be "sha384-" followed by the base64 SHA-384'
                " of its bytes",
            )


def check_route_syntax(routes: list[str]) -> None:
    for route in routes:
        if not is_route(route):
            raise unprocessable(
                RegistryCode.ROUTE_INVALID,
                f"Route {route!r} is not a normalized absolute path such as /reports or"
                " /reports/* (plain segments, no '.' or '..', '//', '\\' or '%')",
            )
        if platform_path := platform_path_of(route):
            raise unprocessable(
                RegistryCode.ROUTE_RESERVED,
                f"Route {route!r} overlaps the platform's own {platform_path!r}",
            )


def check_no_collision(routes: list[str], taken: dict[str, list[str]]) -> None:
    """`taken`: the routes of the other enabled fragments' served versions, by fragment."""
    if collision := first_collision(routes, taken):
        route, other, other_route = collision
        raise conflict(
            RegistryCode.ROUTE_COLLISION,
            f"Route {route} collides with {other_route} of the enabled fragment {other!r}",
        )


@dataclass(frozen=True)
class FileKind:
    """A file the registry hashes at publish, and the codes its fetch problems get."""

    name: str
    unreachable: RegistryCode
    too_large: RegistryCode


ENTRY = FileKind("entry", RegistryCode.ENTRY_UNREACHABLE, RegistryCode.ENTRY_TOO_LARGE)
STYLESHEET = FileKind(
    "stylesheet", RegistryCode.STYLESHEET_UNREACHABLE, RegistryCode.STYLESHEET_TOO_LARGE
)


async def check_bytes(
    http: httpx.AsyncClient,
    url: str,
    declared: str,
    kind: FileKind,
    *,
    timeout_s: float,
    max_bytes: int,
) -> None:
    """Fetches the file once and refuses the version unless its bytes match `declared`."""
    actual = await fetch_integrity(http, url, timeout_s=timeout_s, max_bytes=max_bytes)
    if isinstance(actual, FetchProblem):
        code = kind.unreachable if actual.kind == "unreachable" else kind.too_large
        raise unprocessable(code, actual.reason)
    if actual != declared:
        raise unprocessable(
            RegistryCode.INTEGRITY_MISMATCH,
            f"The {kind.name} {url} hashes to {actual}, not the declared {declared}",
        )
