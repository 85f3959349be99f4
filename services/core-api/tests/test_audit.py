"""The audit trail: what record() writes and what admins can read back."""

from core_api import audit
from platform_common.tokens import Principal


def principal(subject: str, *roles: str) -> Principal:
    return Principal(subject=subject, roles=frozenset(roles), token_id="t", expires_at=0)


def bearer(token_issuer, subject: str, roles: list[str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_issuer.mint(subject, roles)}"}


async def test_admins_read_entries_newest_first_with_filters_and_pages(client, token_issuer):
    alice, bob = principal("alice", "member"), principal("bob", "admin")
    for n in range(5):
        await audit.record(alice, "task.updated", "task", f"t{n}", {"n": n}, {"n": n + 1})
    await audit.record(bob, "project.deleted", "project", "p1", {"name": "P"}, None)
    admin = bearer(token_issuer, "root", ["admin"])

    everything = (await client.get("/audit", headers=admin)).json()["items"]
    assert [e["target_id"] for e in everything] == ["p1", "t4", "t3", "t2", "t1", "t0"]
    assert everything[1]["before"] == {"n": 4} and everything[1]["after"] == {"n": 5}
    assert everything[0]["actor_roles"] == ["admin"]

    by_actor = (await client.get("/audit", params={"actor": "bob"}, headers=admin)).json()
    assert [e["action"] for e in by_actor["items"]] == ["project.deleted"]

    pages, cursor = [], None
    while True:
        params = {"limit": 2, "action": "task.updated", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/audit", params=params, headers=admin)).json()
        pages.append([e["target_id"] for e in page["items"]])
        if not (cursor := page["next"]):
            break
    assert pages == [["t4", "t3"], ["t2", "t1"], ["t0"]]


async def test_only_admins_read_the_audit_trail(client, token_issuer):
    response = await client.get("/audit", headers=bearer(token_issuer, "alice", ["member"]))
    assert response.status_code == 403
    assert response.json()["detail"]["code"] == "ADMIN_REQUIRED"
    assert (await client.get("/audit")).status_code == 401


async def test_bad_audit_queries_are_rejected(client, token_issuer):
    admin = bearer(token_issuer, "root", ["admin"])
    cases = [
        ({"cursor": "not-a-cursor!"}, 400, "INVALID_CURSOR"),
        ({"limit": 0}, 422, None),
        ({"limit": 10000}, 422, None),
        ({"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, 400, "INVALID_RANGE"),
        ({"since": "yesterday"}, 422, None),
        # One with an offset, one without (taken as UTC): 14:00+14:00 is 00:00 UTC.
        (
            {"since": "2026-01-01T00:00:00", "until": "2026-01-01T14:00:00+14:00"},
            400,
            "INVALID_RANGE",
        ),
    ]
    for params, status, code in cases:
        response = await client.get("/audit", params=params, headers=admin)
        assert response.status_code == status, params
        if code:
            assert response.json()["detail"]["code"] == code


async def test_times_without_an_offset_are_utc(client, token_issuer):
    entry = await audit.record(principal("alice"), "task.updated", "task", "t1", None, None)
    admin = bearer(token_issuer, "root", ["admin"])
    naive = entry.at.replace(tzinfo=None).isoformat()
    found = await client.get(
        "/audit", params={"since": naive, "until": "9999-01-01T00:00:00Z"}, headers=admin
    )
    assert [e["target_id"] for e in found.json()["items"]] == ["t1"]
    later = await client.get("/audit", params={"until": naive}, headers=admin)
    assert later.json()["items"] == []
