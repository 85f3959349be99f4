"""The registry's pure rules: route overlap, origins, semver, canary assignment, settings."""

import json

import pytest

from conftest import ROOT
from core_api.registry.checks import origin_of, parse_semver, routes_overlap
from core_api.registry.manifest import canary_bucket
from core_api.registry.settings import DEVELOPMENT_SIGNING_KEY
from core_api.settings import CoreSettings


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        ("/reports/*", "/reports", True),
        ("/reports/*", "/reports/monthly/x", True),
        ("/reports", "/reports", True),
        ("/reports", "/reports/monthly", False),
        ("/reports/*", "/report", False),
        ("/reports/*", "/reportsx/*", False),
        ("/*", "/anything", True),
        ("/", "/*", True),
        ("/", "/home", False),
        ("/a/b/*", "/a/*", True),
    ],
)
def test_route_overlap(first, second, overlap):
    assert routes_overlap(first, second) is overlap
    assert routes_overlap(second, first) is overlap


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://127.0.0.1:4101/1.0.0/entry.js", "http://127.0.0.1:4101"),
        ("https://CDN.example.com:443/x.js", "https://cdn.example.com"),
        ("HTTPS://CDN.example.com:443/", "https://cdn.example.com"),
        ("HTTP://cdn.example.com:80", "http://cdn.example.com"),
        ("http://[::1]:5173/entry.js", "http://[::1]:5173"),
    ],
)
def test_origins_are_normalized(url, origin):
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    "url",
    ["/x.js", "ftp://host/x", "http://u:p@host/x", "data:,x", "", "http://h:0/", "http://h:99999/"],
)
def test_non_http_urls_have_no_origin(url):
    with pytest.raises(ValueError):
        origin_of(url)


def test_semver_is_strict():
    assert str(parse_semver("2.0.0-rc.1+build.5")) == "2.0.0-rc.1+build.5"
    assert parse_semver("2.0") is None
    assert parse_semver("v2.0.0") is None


@pytest.mark.parametrize("percentage", [1, 10, 30, 50, 90])
def test_canary_share_over_1000_users_is_within_5_points(percentage):
    on_canary = sum(canary_bucket(f"user-{n}", "reports") < percentage for n in range(1000))
    assert abs(on_canary / 10 - percentage) <= 5


def test_canary_buckets_are_stable_and_independent_per_fragment():
    assert canary_bucket("user-1", "reports") == canary_bucket("user-1", "reports")
    users = [f"user-{n}" for n in range(1000)]
    on_reports = {u for u in users if canary_bucket(u, "reports") < 50}
    on_billing = {u for u in users if canary_bucket(u, "billing") < 50}
    assert 150 < len(on_reports & on_billing) < 350, "the same users must not always be first"


def test_settings_read_origins_from_a_comma_separated_variable(monkeypatch):
    monkeypatch.setenv("CORE_FRAGMENT_ALLOWED_ORIGINS", "https://cdn.example.com/, http://x:81")
    monkeypatch.setenv("CORE_FRAGMENT_CONTRACTS", "1,2")
    settings = CoreSettings()
    assert settings.fragment_allowed_origins == ["https://cdn.example.com", "http://x:81"]
    assert settings.fragment_contracts == ["1", "2"]


def test_the_platform_sdk_version_is_the_sdk_packages_version():
    package = json.loads((ROOT / "packages" / "sdk" / "package.json").read_text())
    assert CoreSettings().sdk_version == package["version"]


def test_a_platform_sdk_version_that_is_not_semver_is_refused_at_start(monkeypatch):
    """Every publish checks a fragment's SDK range against it: "latest" would match nothing."""
    monkeypatch.setenv("CORE_SDK_VERSION", "latest")
    with pytest.raises(ValueError, match="CORE_SDK_VERSION 'latest' is not a semantic version"):
        CoreSettings()


def test_origins_take_a_json_list_too(monkeypatch):
    monkeypatch.setenv("CORE_FRAGMENT_ALLOWED_ORIGINS", '["https://cdn.example.com"]')
    assert CoreSettings().fragment_allowed_origins == ["https://cdn.example.com"]


def test_development_admits_http_loopback_origins_on_any_port():
    development = CoreSettings(fragment_allowed_origins="https://cdn.example.com")
    assert development.fragment_origin_allowed("http://127.0.0.1:4999")
    assert development.fragment_origin_allowed("http://localhost:5173")
    assert development.fragment_origin_allowed("https://cdn.example.com")
    assert not development.fragment_origin_allowed("https://127.0.0.1:4999")
    assert not development.fragment_origin_allowed("http://evil.example")


def test_the_override_secret_is_required_outside_development(monkeypatch):
    monkeypatch.setenv("CORE_ENVIRONMENT", "production")
    with pytest.raises(ValueError, match="CORE_FRAGMENT_OVERRIDE_SECRET"):
        CoreSettings()
    monkeypatch.setenv("CORE_FRAGMENT_OVERRIDE_SECRET", "short")
    with pytest.raises(ValueError, match="at least 32"):
        CoreSettings()
    monkeypatch.setenv("CORE_FRAGMENT_OVERRIDE_SECRET", "s" * 40)
    assert CoreSettings().override_signing_key == "s" * 40


def test_the_public_development_override_key_is_refused_outside_development(monkeypatch):
    monkeypatch.setenv("CORE_FRAGMENT_OVERRIDE_SECRET", DEVELOPMENT_SIGNING_KEY)
    assert CoreSettings().override_signing_key == DEVELOPMENT_SIGNING_KEY, "fine in development"
    monkeypatch.setenv("CORE_ENVIRONMENT", "production")
    with pytest.raises(ValueError, match="CORE_FRAGMENT_OVERRIDE_SECRET is the public development"):
        CoreSettings()
