"""Fragment asset origins: normalizing them, and the rule an origin an admin registers for a
fragment must follow (with its refusal). The registry is the one place origins are admitted:
at publish, against the platform's policy (CORE_FRAGMENT_ALLOWED_ORIGINS) or the fragment's
registered origins; the gateway's CSP names exactly the origins of the manifest it serves."""

import re

import httpx

from core_api.registry.errors import RegistryCode, unprocessable
from platform_common.manifest_contract import ORIGIN_PATTERN

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ORIGIN = re.compile(ORIGIN_PATTERN)


def origin_of(url: str) -> str:
    """ "scheme://host[:port]" of an absolute http(s) URL, default ports dropped; ValueError
    for anything else."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise ValueError(f"{url!r} is not a URL") from error
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"{url!r} is not an absolute http(s) URL")
    if parsed.userinfo:
        raise ValueError(f"{url!r} carries credentials")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise ValueError(f"{url!r} has no valid port")
    host = f"[{parsed.host}]" if ":" in parsed.host else parsed.host
    # httpx drops a default port only when the scheme is written in lower case.
    default = parsed.port in (None, _DEFAULT_PORTS[parsed.scheme])
    port = "" if default else f":{parsed.port}"
    return f"{parsed.scheme}://{host}{port}"


def is_loopback(origin: str) -> bool:
    """Whether a normalized origin (origin_of) is on this machine: localhost, 127.0.0.1, [::1]."""
    return httpx.URL(origin).host in LOOPBACK_HOSTS


def registered_origin(text: str, *, development: bool) -> str:
    """The normalized origin an admin registers for a fragment ("https://CDN.example.com/"
    becomes "https://cdn.example.com"): an origin and nothing more (no path, query, fragment
    or credentials, no wildcard), and https outside development."""
    try:
        normalized = origin_of(text)
        parsed = httpx.URL(text)
    except (ValueError, httpx.InvalidURL) as error:
        raise _invalid(f"{text!r} is not an origin such as https://cdn.example.com") from error
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment or "?" in text:
        raise _invalid(f"{text!r} has a path, query or fragment: give the origin alone")
    if not _ORIGIN.fullmatch(normalized):
        raise _invalid(f"{text!r} is not a plain scheme://host[:port] origin")
    if not development and parsed.scheme != "https":
        raise _invalid(f"{text!r} is not https: outside development fragments load over TLS")
    return normalized


def _invalid(reason: str) -> Exception:
    return unprocessable(RegistryCode.ORIGIN_INVALID, reason)
