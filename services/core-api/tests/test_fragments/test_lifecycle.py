"""Changing what is live: activate, roll back, canary, promote, abort, disable. Every change
is audited and emitted; every refusal changes nothing."""


async def _state(registry, name="reports"):
    response = await registry.client.get(f"/fragments/{name}", headers=registry.admin)
    return response.json()


async def test_activate_then_roll_back_to_the_previous_version(registry, emitted):
    await registry.live("reports", "1.0.0", "1.1.0", "1.2.0")
    for version in ["1.1.0", "1.2.0"]:
        response = await registry.act("reports", "activate", {"version": version})
        assert response.status_code == 200
    state = await _state(registry)
    assert (state["active_version"], state["previous_version"]) == ("1.2.0", "1.1.0")

    rolled = await registry.act("reports", "rollback")
    assert rolled.json()["active_version"] == "1.1.0"
    rolled = await registry.act("reports", "rollback")
    assert rolled.json()["active_version"] == "1.0.0"
    none_left = await registry.act("reports", "rollback")
    assert none_left.status_code == 409
    assert none_left.json()["detail"]["code"] == "NO_PREVIOUS_VERSION"
    assert (await _state(registry))["active_version"] == "1.0.0"

    [last, *_] = await registry.audit("fragment.rolled_back")  # newest first
    assert (last["before"]["active_version"], last["after"]["active_version"]) == ("1.1.0", "1.0.0")
    types = [type for type, _ in emitted()]
    assert types.count("fragment.activated") == 3
    assert types.count("fragment.rolled_back") == 2


async def test_activating_the_active_version_changes_nothing(registry):
    await registry.live("reports", "1.0.0")
    before = await _state(registry)
    again = await registry.act("reports", "activate", {"version": "1.0.0"})
    assert again.status_code == 200
    assert await _state(registry) == before
    assert len(await registry.audit("fragment.activated")) == 1


async def test_activating_a_version_of_another_fragment_is_refused(registry):
    await registry.live("reports", "1.0.0")
    await registry.register("billing")
    assert (await registry.publish("billing", "2.0.0", routes=["/billing/*"])).status_code == 201
    response = await registry.act("reports", "activate", {"version": "2.0.0"})
    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "VERSION_NOT_FOUND"
    assert (await _state(registry))["active_version"] == "1.0.0"


async def test_only_the_publisher_or_an_admin_operates_a_fragment(registry, client):
    await registry.live("reports", "1.0.0", "1.1.0")
    await registry.register("billing")
    for path, body in [
        ("activate", {"version": "1.1.0"}),
        ("rollback", None),
        ("canary", {"version": "1.1.0", "percentage": 10}),
        ("canary/promote", None),
        ("canary/abort", None),
        ("disable", None),
        ("enable", None),
    ]:
        member = registry.token("u", "member")
        response = await client.post(f"/fragments/reports/{path}", json=body, headers=member)
        assert response.status_code == 403, path
        assert response.json()["detail"]["code"] == "PUBLISHER_ROLE_REQUIRED"
        other_team = registry.publisher("billing")
        response = await client.post(f"/fragments/reports/{path}", json=body, headers=other_team)
        assert response.status_code == 404, path
        assert response.json()["detail"]["code"] == "FRAGMENT_NOT_FOUND"
        assert (await client.post(f"/fragments/reports/{path}", json=body)).status_code == 401
    by_admin = await client.post(
        "/fragments/reports/activate", json={"version": "1.1.0"}, headers=registry.admin
    )
    assert by_admin.json()["active_version"] == "1.1.0"


async def test_canary_start_ramp_promote(registry, emitted):
    await registry.live("reports", "1.0.0", "1.1.0", "1.2.0")
    started = await registry.act("reports", "canary", {"version": "1.1.0", "percentage": 10})
    assert started.status_code == 200
    canary = started.json()["canary"]
    assert (canary["version"], canary["percentage"]) == ("1.1.0", 10)
    ramped = await registry.act("reports", "canary", {"version": "1.1.0", "percentage": 50})
    assert ramped.json()["canary"]["percentage"] == 50
    assert ramped.json()["canary"]["started_at"] == canary["started_at"]

    busy = await registry.act("reports", "activate", {"version": "1.2.0"})
    assert busy.json()["detail"]["code"] == "CANARY_IN_PROGRESS"

    promoted = await registry.act("reports", "canary/promote")
    assert promoted.json()["active_version"] == "1.1.0"
    assert promoted.json()["canary"] is None
    assert promoted.json()["previous_version"] == "1.0.0"
    types = [type for type, _ in emitted()]
    assert types.count("fragment.canary_started") == 2
    assert "fragment.canary_promoted" in types
    assert len(await registry.audit("fragment.canary_promoted")) == 1


async def test_canary_abort_returns_everyone_to_the_active_version(registry, emitted):
    await registry.live("reports", "1.0.0", "1.1.0")
    await registry.act("reports", "canary", {"version": "1.1.0", "percentage": 100})
    aborted = await registry.act("reports", "canary/abort")
    assert aborted.json()["canary"] is None
    assert aborted.json()["active_version"] == "1.0.0"
    [(_, data)] = [e for e in emitted() if e[0] == "fragment.canary_aborted"]
    assert data["aborted_version"] == "1.1.0"
    [entry] = await registry.audit("fragment.canary_aborted")
    assert entry["actor"] == "client:reports-ci"


async def test_bad_canary_requests_are_refused_and_change_nothing(registry, client):
    await registry.register("reports")
    await registry.publish("reports", "1.0.0")
    await registry.publish("reports", "1.1.0")
    no_active = await registry.act("reports", "canary", {"version": "1.1.0", "percentage": 5})
    assert no_active.json()["detail"]["code"] == "NO_ACTIVE_VERSION"
    await registry.act("reports", "activate", {"version": "1.0.0"})
    for body in [
        {"version": "1.1.0", "percentage": -1},
        {"version": "1.1.0", "percentage": 101},
        {"version": "1.1.0", "percentage": "half"},
        {"version": "1.1.0"},
    ]:
        response = await registry.act("reports", "canary", body)
        assert response.status_code == 422, body
    same = await registry.act("reports", "canary", {"version": "1.0.0", "percentage": 5})
    assert same.json()["detail"]["code"] == "CANARY_IS_ACTIVE_VERSION"
    unknown = await registry.act("reports", "canary", {"version": "9.9.9", "percentage": 5})
    assert unknown.json()["detail"]["code"] == "VERSION_NOT_FOUND"
    for action in ["canary/promote", "canary/abort"]:
        response = await registry.act("reports", action)
        assert response.status_code == 409
        assert response.json()["detail"]["code"] == "NO_CANARY"
    assert (await _state(registry))["canary"] is None


async def test_percentages_0_and_100_are_accepted(registry):
    await registry.live("reports", "1.0.0", "1.1.0")
    for percentage in [0, 100]:
        response = await registry.act(
            "reports", "canary", {"version": "1.1.0", "percentage": percentage}
        )
        assert response.json()["canary"]["percentage"] == percentage


async def test_rollback_also_ends_a_canary(registry):
    await registry.live("reports", "1.0.0", "1.1.0", "1.2.0")
    await registry.act("reports", "activate", {"version": "1.1.0"})
    await registry.act("reports", "canary", {"version": "1.2.0", "percentage": 20})
    rolled = await registry.act("reports", "rollback")
    assert (rolled.json()["active_version"], rolled.json()["canary"]) == ("1.0.0", None)


async def test_disable_and_enable(registry, emitted):
    await registry.live("reports", "1.0.0")
    disabled = await registry.act("reports", "disable")
    assert disabled.json()["enabled"] is False
    assert (await registry.act("reports", "disable")).status_code == 200
    enabled = await registry.act("reports", "enable")
    assert enabled.json()["enabled"] is True
    types = [type for type, _ in emitted()]
    assert (types.count("fragment.disabled"), types.count("fragment.enabled")) == (1, 1)


async def test_enabling_refuses_routes_taken_meanwhile(registry):
    await registry.live("reports", "1.0.0")
    await registry.act("reports", "disable")
    await registry.register("billing")
    await registry.publish("billing", "1.0.0", routes=["/reports/monthly"])
    await registry.act("billing", "activate", {"version": "1.0.0"})
    refused = await registry.act("reports", "enable")
    assert refused.status_code == 409
    assert refused.json()["detail"]["code"] == "ROUTE_COLLISION"
    assert (await _state(registry))["enabled"] is False


async def test_unknown_fragments_are_404(registry, client):
    for method, path in [
        ("GET", "/fragments/nope"),
        ("GET", "/fragments/nope/versions"),
        ("GET", "/fragments/nope/health"),
        ("POST", "/fragments/nope/rollback"),
        ("POST", "/fragments/nope/disable"),
    ]:
        response = await client.request(method, path, headers=registry.admin)
        assert response.status_code == 404, path
        assert response.json()["detail"]["code"] == "FRAGMENT_NOT_FOUND"


async def test_a_fragment_is_invisible_to_those_it_is_not_shown_to(registry, client):
    await registry.register("reports", roles=["analyst"])
    assert (await registry.publish("reports", "1.0.0")).status_code == 201
    outsider = registry.token("u", "member")
    listed = await client.get("/fragments", headers=outsider)
    assert listed.status_code == 200 and listed.json() == []
    for method, path, body in [
        ("GET", "/fragments/reports", None),
        ("GET", "/fragments/reports/versions", None),
        ("GET", "/fragments/reports/versions/1.0.0", None),
        ("GET", "/fragments/reports/health", None),
        ("POST", "/fragments/reports/activate", {"version": "1.0.0"}),
        ("POST", "/fragments/reports/overrides", {"origin": "http://localhost:5173"}),
        (
            "POST",
            "/fragments/health-reports",
            {"fragment": "reports", "version": "1.0.0", "outcome": "success"},
        ),
    ]:
        response = await client.request(method, path, json=body, headers=outsider)
        assert response.status_code == 404, path
        assert response.json()["detail"]["code"] == "FRAGMENT_NOT_FOUND", path
    for reader in [registry.token("a", "analyst"), registry.publisher("reports"), registry.admin]:
        listed = await client.get("/fragments", headers=reader)
        assert [f["name"] for f in listed.json()] == ["reports"]
        versions = await client.get("/fragments/reports/versions", headers=reader)
        assert [v["version"] for v in versions.json()] == ["1.0.0"]


async def test_listing_fragments_needs_a_token(registry, client):
    await registry.live("reports", "1.0.0")
    assert (await client.get("/fragments")).status_code == 401
    listed = await client.get("/fragments", headers=registry.token("u", "member"))
    assert [f["name"] for f in listed.json()] == ["reports"]


async def test_events_reach_operators_and_viewers_only(registry, core_app):
    await registry.register("reports", roles=["analyst"])
    [event] = list(core_app.state.events.buffer)
    from platform_common.tokens import Principal

    def who(*roles):
        return Principal(subject="x", roles=frozenset(roles), token_id="", expires_at=0)

    assert event.visible_to.admits(who("analyst"))
    assert event.visible_to.admits(who("publisher:reports"))
    assert not event.visible_to.admits(who("member"))
