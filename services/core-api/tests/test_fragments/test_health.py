"""The health-gated canary: shells report loads and failures; a canary failing for too many
of its users is aborted automatically; reports cannot be abused to sink a canary."""

import pytest


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"health_reports_per_minute": 5})


async def _canary(registry, percentage=50):
    await registry.live("reports", "1.0.0", "1.1.0")
    await registry.act("reports", "canary", {"version": "1.1.0", "percentage": percentage})


async def _served(registry, user):
    return (await registry.manifest(user))["fragments"][0]["version"]


async def _report(registry, user, version, outcome, failure=None):
    body = {"fragment": "reports", "version": version, "outcome": outcome, "failure": failure}
    return await registry.client.post("/fragments/health-reports", json=body, headers=user)


async def _users_on(registry, version, count):
    users, number = [], 0
    while len(users) < count:
        user = registry.token(f"user-{number}", "member")
        if await _served(registry, user) == version:
            users.append(user)
        number += 1
    return users


async def test_a_failing_canary_is_aborted_automatically(registry, emitted):
    await _canary(registry)
    users = await _users_on(registry, "1.1.0", 10)
    for user in users[:7]:
        assert (await _report(registry, user, "1.1.0", "success")).status_code == 202
    for user in users[7:9]:
        response = await _report(registry, user, "1.1.0", "failure", "mount")
        assert response.json() == {"accepted": True, "canary_aborted": False}  # 2/9 < 10 users
    last = await _report(registry, users[9], "1.1.0", "failure", "integrity")
    assert last.json() == {"accepted": True, "canary_aborted": True}  # 3 of 10 > 20%

    state = (await registry.client.get("/fragments/reports", headers=registry.admin)).json()
    assert (state["canary"], state["active_version"]) == (None, "1.0.0")
    assert await _served(registry, users[0]) == "1.0.0"
    [entry] = await registry.audit("fragment.canary_aborted")
    assert entry["actor"] == "system:canary-health-gate"
    assert "3 of 10 users" in entry["after"]["reason"]
    [(_, data)] = [e for e in emitted() if e[0] == "fragment.canary_aborted"]
    assert data["aborted_version"] == "1.1.0"


async def test_rates_per_version_are_visible(registry):
    await _canary(registry)
    [canary_user] = await _users_on(registry, "1.1.0", 1)
    [stable_user] = await _users_on(registry, "1.0.0", 1)
    await _report(registry, canary_user, "1.1.0", "failure", "load")
    await _report(registry, stable_user, "1.0.0", "success")
    health = (await registry.client.get("/fragments/reports/health", headers=registry.admin)).json()
    assert health["window_s"] == 300
    assert health["failure_threshold"] == 0.2
    active, canary = health["versions"]
    assert (active["role"], active["reporters"], active["failures"]) == ("active", 1, 0)
    assert (canary["role"], canary["reporters"], canary["failure_rate"]) == ("canary", 1, 1.0)
    assert canary["failures_by_kind"] == {"load": 1, "integrity": 0, "mount": 0, "runtime": 0}


async def test_one_user_reporting_many_failures_counts_once(registry):
    await _canary(registry, percentage=100)
    [user] = await _users_on(registry, "1.1.0", 1)
    for _ in range(5):
        await _report(registry, user, "1.1.0", "failure", "mount")
    health = (await registry.client.get("/fragments/reports/health", headers=registry.admin)).json()
    assert health["versions"][1]["reporters"] == 1
    assert (await registry.client.get("/fragments/reports", headers=registry.admin)).json()[
        "canary"
    ], "one user cannot abort a canary"


async def test_reports_are_rate_limited_per_user(registry):
    await _canary(registry, percentage=100)
    [user, other] = await _users_on(registry, "1.1.0", 2)
    for _ in range(5):
        assert (await _report(registry, user, "1.1.0", "success")).status_code == 202
    limited = await _report(registry, user, "1.1.0", "success")
    assert limited.status_code == 429
    assert limited.json()["detail"]["code"] == "REPORTS_RATE_LIMITED"
    assert (await _report(registry, other, "1.1.0", "success")).status_code == 202


async def test_users_may_only_report_on_the_version_they_are_given(registry):
    await _canary(registry, percentage=50)
    [stable_user] = await _users_on(registry, "1.0.0", 1)
    refused = await _report(registry, stable_user, "1.1.0", "failure", "mount")
    assert refused.status_code == 409
    assert refused.json()["detail"]["code"] == "VERSION_NOT_SERVED"
    unknown = await _report(registry, stable_user, "9.9.9", "failure", "mount")
    assert unknown.json()["detail"]["code"] == "VERSION_NOT_SERVED"
    await registry.act("reports", "disable")
    disabled = await _report(registry, stable_user, "1.0.0", "failure", "mount")
    assert disabled.json()["detail"]["code"] == "VERSION_NOT_SERVED"


async def test_bad_reports_are_refused(registry, client):
    await _canary(registry)
    user = registry.token("user-x", "member")
    body = {"fragment": "reports", "version": "1.0.0", "outcome": "success"}
    assert (await client.post("/fragments/health-reports", json=body)).status_code == 401
    for broken in [
        body | {"outcome": "meh"},
        body | {"failure": "disk-full"},
        body | {"fragment": "Bad Name"},
        {"fragment": "reports"},
        body | {"version": "x" * 100},
    ]:
        response = await client.post("/fragments/health-reports", json=broken, headers=user)
        assert response.status_code == 422, broken
    missing = await client.post(
        "/fragments/health-reports", json=body | {"fragment": "nope"}, headers=user
    )
    assert missing.json()["detail"]["code"] == "FRAGMENT_NOT_FOUND"
