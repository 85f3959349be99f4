"""Concurrent changes, through the API on the real store. To one fragment: of changes computed
from the same state exactly one is applied, audited and emitted; the others are refused with
a 409 and change nothing. (FerretDB v1 tells every concurrent conditional update that it
matched, so without claims several of these would "win" and overwrite one another.) To
different fragments: of changes serving overlapping routes exactly one is applied, the others
get ROUTE_COLLISION; changes serving disjoint routes all succeed."""

import asyncio
import itertools

import pytest

from core_api.registry import route_turns
from core_api.registry.checks import routes_overlap
from core_api.version_claims import SERVED_ROUTES

N = 8


class RaceGate:
    """Holds the registry's claims until `parties` of them have arrived (or `hold_s` has
    passed), then lets them all go at once: every request has read the same state before
    any of them writes, so they really race."""

    def __init__(self, claims, parties: int, hold_s: float, kinds) -> None:
        self.claims = claims
        self.parties = parties
        self.hold_s = hold_s
        self.kinds = kinds
        self.arrived = 0
        self.go = asyncio.Event()

    def __getattr__(self, name):
        return getattr(self.claims, name)

    async def claim(self, kind, document_id, from_version) -> bool:
        if self.kinds is not None and kind not in self.kinds:
            return await self.claims.claim(kind, document_id, from_version)
        self.arrived += 1
        if self.arrived >= self.parties:
            self.go.set()
        try:
            await asyncio.wait_for(self.go.wait(), timeout=self.hold_s)
        except TimeoutError:
            self.go.set()
        return await self.claims.claim(kind, document_id, from_version)


@pytest.fixture
def race(core_app):
    """race(): the registry's next N claims (of the given kinds) start together."""
    registry = core_app.state.registry

    def install(parties: int = N, hold_s: float = 10.0, kinds=None) -> RaceGate:
        registry.claims = RaceGate(registry.claims, parties, hold_s, kinds)
        return registry.claims

    return install


async def _state(registry):
    return (await registry.client.get("/fragments/reports", headers=registry.admin)).json()


async def _fragment_trail(registry):
    response = await registry.client.get(
        "/audit", params={"target_id": "reports", "limit": 100}, headers=registry.admin
    )
    return [entry["action"] for entry in response.json()["items"]]


def _outcomes(responses):
    won = [r for r in responses if r.status_code == 200]
    lost = [r for r in responses if r.status_code == 409]
    assert len(won) + len(lost) == len(responses), [r.text for r in responses]
    assert {r.json()["detail"]["code"] for r in lost} <= {"FRAGMENT_CHANGED_CONCURRENTLY"}
    return won, lost


async def test_of_concurrent_activations_exactly_one_wins(registry, emitted, race):
    versions = [f"1.{minor}.0" for minor in range(N + 1)]
    await registry.live("reports", *versions)
    trail, events = await _fragment_trail(registry), emitted()
    race()

    responses = await asyncio.gather(
        *(registry.act("reports", "activate", {"version": v}) for v in versions[1:])
    )

    [won], lost = _outcomes(responses)
    assert len(lost) == N - 1
    state = await _state(registry)
    assert state["active_version"] == won.json()["active_version"] != "1.0.0"
    assert state["previous_version"] == "1.0.0"
    assert state == won.json()
    assert await _fragment_trail(registry) == ["fragment.activated", *trail]
    assert [type for type, _ in emitted()[len(events) :]] == ["fragment.activated"]

    rolled = await registry.act("reports", "rollback")
    assert rolled.json()["active_version"] == "1.0.0", "history holds one activation, not N"
    assert (await registry.act("reports", "rollback")).json()["detail"]["code"] == (
        "NO_PREVIOUS_VERSION"
    )


async def test_of_concurrent_canary_changes_exactly_one_wins(registry, emitted, race):
    await registry.live("reports", "1.0.0", "1.1.0", "1.2.0", "1.3.0")
    await registry.act("reports", "activate", {"version": "1.1.0"})
    await registry.act("reports", "canary", {"version": "1.2.0", "percentage": 10})
    trail, events = await _fragment_trail(registry), emitted()
    race()

    changes = [  # each valid on its own
        ("canary", {"version": "1.2.0", "percentage": 50}),
        ("canary", {"version": "1.2.0", "percentage": 90}),
        ("canary", {"version": "1.3.0", "percentage": 20}),
        ("canary/promote", None),
        ("canary/abort", None),
        ("rollback", None),
        ("disable", None),
        ("canary/promote", None),
    ]
    responses = await asyncio.gather(
        *(registry.act("reports", action, body) for action, body in changes)
    )

    [won], lost = _outcomes(responses)
    assert len(lost) == N - 1
    assert await _state(registry) == won.json()
    [action] = (await _fragment_trail(registry))[: -len(trail)]
    assert [type for type, _ in emitted()[len(events) :]] == [action]


async def test_concurrent_ramps_of_a_canary_leave_one_percentage(registry, emitted, race):
    await registry.live("reports", "1.0.0", "1.1.0")
    await registry.act("reports", "canary", {"version": "1.1.0", "percentage": 1})
    events = emitted()
    race()

    responses = await asyncio.gather(
        *(
            registry.act("reports", "canary", {"version": "1.1.0", "percentage": 10 * step})
            for step in range(1, N + 1)
        )
    )

    [won], _ = _outcomes(responses)
    assert (await _state(registry))["canary"] == won.json()["canary"]
    [entry, _first] = await registry.audit("fragment.canary_started")
    assert entry["after"]["canary"]["percentage"] == won.json()["canary"]["percentage"]
    assert len(emitted()) == len(events) + 1


async def test_the_health_gate_aborts_a_canary_once(registry, emitted, client, race):
    await registry.live("reports", "1.0.0", "1.1.0")
    await registry.act("reports", "canary", {"version": "1.1.0", "percentage": 50})
    users = await _canary_users(registry, 2 * N)
    for user in users[:N]:
        assert (await _report(client, user, "success")).status_code == 202
    race(hold_s=1.0)  # not every report finds the rate over the threshold

    responses = await asyncio.gather(*(_report(client, user, "failure") for user in users[N:]))

    assert [r.status_code for r in responses] == [202] * N
    assert [r.json()["canary_aborted"] for r in responses].count(True) == 1
    assert (await _state(registry))["canary"] is None
    assert len(await registry.audit("fragment.canary_aborted")) == 1
    assert [type for type, _ in emitted()].count("fragment.canary_aborted") == 1


async def test_concurrent_publishes_of_one_version_store_it_once(registry):
    await registry.register("reports")
    body = registry.version_body("1.0.0")
    responses = await asyncio.gather(
        *(
            registry.client.post(
                "/fragments/reports/versions", json=body, headers=registry.publisher("reports")
            )
            for _ in range(N)
        )
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (N - 1)
    assert {r.json()["detail"]["code"] for r in responses if r.status_code == 409} == {
        "VERSION_EXISTS"
    }
    assert len(await registry.audit("fragment.version_published")) == 1


async def test_concurrent_uses_of_an_override_are_all_counted_and_audited_once(registry, race):
    await registry.live("reports", "1.0.0")
    grant = await _override(registry)
    developer = registry.token("dev-7", "member")
    race()

    responses = await asyncio.gather(
        *(
            registry.client.get(
                "/fragments/manifest", params={"override": grant["token"]}, headers=developer
            )
            for _ in range(N)
        )
    )

    assert [r.status_code for r in responses] == [200] * N
    listed = await registry.client.get("/fragments/reports/overrides", headers=registry.admin)
    assert listed.json()[0]["uses"] == N
    assert len(await registry.audit("fragment.override_used")) == 1


async def test_concurrent_revocations_of_an_override_are_audited_once(registry, race):
    await registry.live("reports", "1.0.0")
    grant = await _override(registry)
    race()

    responses = await asyncio.gather(
        *(
            registry.client.delete(
                f"/fragments/reports/overrides/{grant['token_id']}", headers=registry.admin
            )
            for _ in range(N)
        )
    )

    assert sorted(r.status_code for r in responses) == [200] + [409] * (N - 1)
    assert {r.json()["detail"]["code"] for r in responses if r.status_code == 409} == {
        "OVERRIDE_CHANGED_CONCURRENTLY"
    }
    assert len(await registry.audit("fragment.override_revoked")) == 1
    again = await registry.client.delete(
        f"/fragments/reports/overrides/{grant['token_id']}", headers=registry.admin
    )
    assert again.status_code == 200
    assert again.json()["revoked_at"] is not None


async def test_concurrent_reports_by_one_user_are_accepted(registry, client):
    await registry.live("reports", "1.0.0")
    user = registry.token("user-1", "member")
    responses = await asyncio.gather(
        *(_report(client, user, "success", version="1.0.0") for _ in range(N))
    )
    assert [r.status_code for r in responses] == [202] * N
    health = (await client.get("/fragments/reports/health", headers=registry.admin)).json()
    assert health["versions"][0]["reporters"] == 1


async def _override(registry):
    issued = await registry.client.post(
        "/fragments/reports/overrides",
        json={"origin": "http://localhost:5173", "subject": "dev-7"},
        headers=registry.admin,
    )
    assert issued.status_code == 201, issued.text
    return issued.json()


async def _report(client, user, outcome, version="1.1.0"):
    body = {"fragment": "reports", "version": version, "outcome": outcome}
    if outcome == "failure":
        body["failure"] = "mount"
    return await client.post("/fragments/health-reports", json=body, headers=user)


async def _canary_users(registry, count):
    users, number = [], 0
    while len(users) < count:
        user = registry.token(f"user-{number}", "member")
        if (await registry.manifest(user))["fragments"][0]["version"] == "1.1.0":
            users.append(user)
        number += 1
    return users


async def test_a_revocation_racing_uses_is_never_lost(registry, race):
    """FerretDB v1 lets concurrent updates of one document overwrite each other even when
    they set different fields: a use counted at the same moment must not undo a revocation."""
    await registry.live("reports", "1.0.0")
    grant = await _override(registry)
    developer = registry.token("dev-7", "member")
    race()

    revoked, *uses = await asyncio.gather(
        registry.client.delete(
            f"/fragments/reports/overrides/{grant['token_id']}", headers=registry.admin
        ),
        *(
            registry.client.get(
                "/fragments/manifest", params={"override": grant["token"]}, headers=developer
            )
            for _ in range(N - 1)
        ),
    )

    assert revoked.status_code == 200
    served = [r for r in uses if r.status_code == 200]
    assert {r.json()["detail"]["code"] for r in uses if r.status_code != 200} <= {
        "OVERRIDE_REVOKED"
    }
    [listed] = (
        await registry.client.get("/fragments/reports/overrides", headers=registry.admin)
    ).json()
    assert listed["revoked_at"] is not None
    assert listed["uses"] == len(served)
    assert len(await registry.audit("fragment.override_revoked")) == 1


ROUNDS = 3


def _contested_routes(round_: int) -> list[list[str]]:
    """N route lists that all overlap one another (each covers /r<round>/reports/monthly)."""
    base = f"/r{round_}"
    shapes = [
        [f"{base}/*"],
        [f"{base}/reports/*"],
        [f"{base}/reports/monthly"],
        [f"{base}/other", f"{base}/reports/monthly"],
    ]
    return [shapes[i % len(shapes)] for i in range(N)]


def _overlaps(manifest) -> list[tuple[str, str]]:
    served = [(f["name"], route) for f in manifest["fragments"] for route in f["routes"]]
    return [
        (a, b)
        for (name_a, a), (name_b, b) in itertools.combinations(served, 2)
        if name_a != name_b and routes_overlap(a, b)
    ]


async def _published(registry, names, routes):
    for name, own_routes in zip(names, routes, strict=True):
        await registry.register(name)
        assert (await registry.publish(name, "1.0.0", routes=own_routes)).status_code == 201


async def _watch_manifest(registry, done: asyncio.Event) -> list:
    """Every overlap any manifest showed while the race ran."""
    member, seen = registry.token("user-1", "member"), []
    while not done.is_set():
        seen.extend(_overlaps(await registry.manifest(member)))
        await asyncio.sleep(0)
    return seen


async def _race_with_watcher(registry, changes):
    done = asyncio.Event()
    watcher = asyncio.create_task(_watch_manifest(registry, done))
    try:
        responses = await asyncio.gather(*changes)
    finally:
        done.set()
    return responses, await watcher


async def test_of_fragments_activating_overlapping_routes_at_once_exactly_one_wins(
    registry, emitted, race
):
    member = registry.token("user-1", "member")
    for round_ in range(ROUNDS):
        names = [f"round{round_}-f{i}" for i in range(N)]
        await _published(registry, names, _contested_routes(round_))
        events = emitted()
        # Every activation has checked the others' (old) state before any claims its turn.
        race(kinds={SERVED_ROUTES})

        responses, overlaps_seen = await _race_with_watcher(
            registry,
            [registry.act(name, "activate", {"version": "1.0.0"}) for name in names],
        )

        won = [r for r in responses if r.status_code == 200]
        lost = [r for r in responses if r.status_code != 200]
        assert len(won) == 1, [r.text for r in responses]
        assert {(r.status_code, r.json()["detail"]["code"]) for r in lost} == {
            (409, "ROUTE_COLLISION")
        }
        assert overlaps_seen == []
        manifest = await registry.manifest(member)
        assert _overlaps(manifest) == []
        winner = won[0].json()["name"]
        assert [f["name"] for f in manifest["fragments"] if f["name"] in names] == [winner]
        new_events = emitted()[len(events) :]
        assert [(type, data["name"]) for type, data in new_events] == [
            ("fragment.activated", winner)
        ]
        for name in names:  # nothing half-written, and no loser is left blocked
            state = (await registry.client.get(f"/fragments/{name}", headers=registry.admin)).json()
            assert state["active_version"] == ("1.0.0" if name == winner else None)
            if name != winner:
                assert (await registry.act(name, "disable")).status_code == 200
    assert len(await registry.audit("fragment.activated")) == ROUNDS


async def test_of_different_changes_serving_overlapping_routes_at_once_exactly_one_wins(
    registry, race
):
    """Activate, canary, roll back and enable each start serving a route: they take turns."""
    published = {
        "a-activate": {"1.0.0": ["/reports/monthly"]},
        "b-canary": {"1.0.0": ["/b"], "2.0.0": ["/reports/*"]},
        "c-rollback": {"1.0.0": ["/reports/monthly"], "2.0.0": ["/c"]},
        "d-enable": {"1.0.0": ["/reports/*"]},
    }
    for name, versions in published.items():
        await registry.register(name)
        for version, routes in versions.items():
            assert (await registry.publish(name, version, routes=routes)).status_code == 201
    for name, action, body in [
        ("b-canary", "activate", {"version": "1.0.0"}),
        ("c-rollback", "activate", {"version": "1.0.0"}),
        ("c-rollback", "activate", {"version": "2.0.0"}),
        ("d-enable", "activate", {"version": "1.0.0"}),
        ("d-enable", "disable", None),
    ]:
        assert (await registry.act(name, action, body)).status_code == 200
    race(parties=len(published), kinds={SERVED_ROUTES})

    responses = await asyncio.gather(
        registry.act("a-activate", "activate", {"version": "1.0.0"}),
        registry.act("b-canary", "canary", {"version": "2.0.0", "percentage": 50}),
        registry.act("c-rollback", "rollback"),
        registry.act("d-enable", "enable"),
    )

    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409], [
        r.text for r in responses
    ]
    assert {r.json()["detail"]["code"] for r in responses if r.status_code == 409} == {
        "ROUTE_COLLISION"
    }
    for user in range(20):  # some get b's canary, some do not
        assert _overlaps(await registry.manifest(registry.token(f"u{user}", "member"))) == []


async def test_fragments_activating_disjoint_routes_at_once_all_succeed(registry, emitted, race):
    names = [f"team-{i}" for i in range(N)]
    await _published(registry, names, [[f"/team-{i}/*"] for i in range(N)])
    events = emitted()
    race(kinds={SERVED_ROUTES})

    responses, overlaps_seen = await _race_with_watcher(
        registry, [registry.act(name, "activate", {"version": "1.0.0"}) for name in names]
    )

    assert [r.status_code for r in responses] == [200] * N, [r.text for r in responses]
    assert overlaps_seen == []
    manifest = await registry.manifest(registry.token("user-1", "member"))
    assert sorted(f["name"] for f in manifest["fragments"]) == names
    assert len(emitted()) == len(events) + N


class SlowReplies:
    """The store's answer to a claim of `kind` (already made) arrives only once `reply` is
    set, like a reply held up on the network."""

    def __init__(self, claims, kind) -> None:
        self.claims = claims
        self.kind = kind
        self.sent = asyncio.Event()
        self.reply = asyncio.Event()

    def __getattr__(self, name):
        return getattr(self.claims, name)

    async def claim(self, kind, document_id, from_version) -> bool:
        won = await self.claims.claim(kind, document_id, from_version)
        if kind == self.kind:
            self.sent.set()
            await self.reply.wait()
        return won


async def test_a_change_whose_client_goes_away_holding_the_turn_still_ends_it(
    registry, core_app, monkeypatch
):
    monkeypatch.setattr(route_turns, "PATIENCE_S", 2.0)
    await _published(registry, ["alpha", "beta"], [["/alpha"], ["/beta"]])
    slow = core_app.state.registry.claims = SlowReplies(
        core_app.state.registry.claims, SERVED_ROUTES
    )
    request = asyncio.create_task(registry.act("alpha", "activate", {"version": "1.0.0"}))
    await slow.sent.wait()

    request.cancel()  # alpha's turn is claimed, its answer not yet read
    with pytest.raises(asyncio.CancelledError):
        await request
    slow.reply.set()

    activated = await registry.act("beta", "activate", {"version": "1.0.0"})
    assert activated.status_code == 200, activated.text
    alpha = await registry.client.get("/fragments/alpha", headers=registry.admin)
    assert alpha.json()["active_version"] == "1.0.0", "the change ran to its end"
