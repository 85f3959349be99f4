"""Bulk status change: all checked before anything changes (races: test_concurrent_writes)."""

import pytest


@pytest.fixture
async def project(make_project) -> dict:
    return await make_project({"bob": "editor", "carol": "viewer"})


@pytest.fixture
async def tasks(client, headers_for, project) -> list[dict]:
    return [
        (
            await client.post(
                f"/projects/{project['id']}/tasks",
                json={"title": f"t{n}"},
                headers=headers_for("bob"),
            )
        ).json()
        for n in range(4)
    ]


async def statuses(client, headers_for, tasks) -> list[str]:
    return [
        (await client.get(f"/tasks/{t['id']}", headers=headers_for("bob"))).json()["status"]
        for t in tasks
    ]


def bulk_url(project) -> str:
    return f"/projects/{project['id']}/tasks:bulk"


async def test_bulk_sets_every_status_and_counts_the_unchanged(client, headers_for, project, tasks):
    await client.patch(
        f"/tasks/{tasks[0]['id']}", json={"status": "done"}, headers=headers_for("bob")
    )
    response = await client.post(
        bulk_url(project),
        json={"ids": [t["id"] for t in tasks], "status": "done"},
        headers=headers_for("bob"),
    )
    assert response.status_code == 200
    assert response.json() == {"updated": 3, "unchanged": 1, "status": "done"}
    assert await statuses(client, headers_for, tasks) == ["done"] * 4
    entries = (
        await client.get(
            "/audit",
            params={"project_id": project["id"], "action": "task.updated"},
            headers=headers_for("root", ["admin"]),
        )
    ).json()["items"]
    assert len(entries) == 4  # the single patch and three from the bulk change


async def test_one_bad_task_rejects_the_whole_request(client, headers_for, project, tasks):
    await client.patch(
        f"/tasks/{tasks[1]['id']}", json={"status": "cancelled"}, headers=headers_for("bob")
    )
    other = (
        await client.post("/projects", json={"name": "O", "key": "OTH"}, headers=headers_for("bob"))
    ).json()
    foreign = (
        await client.post(
            f"/projects/{other['id']}/tasks", json={"title": "x"}, headers=headers_for("bob")
        )
    ).json()
    response = await client.post(
        bulk_url(project),
        json={
            "ids": [t["id"] for t in tasks] + [foreign["id"]],
            "status": "done",
            "expected_versions": {tasks[2]["id"]: 7},
        },
        headers=headers_for("bob"),
    )
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail["code"] == "BULK_REJECTED"
    assert {(p["id"], p["code"]) for p in detail["problems"]} == {
        (tasks[1]["id"], "INVALID_TRANSITION"),
        (tasks[2]["id"], "VERSION_MISMATCH"),
        (foreign["id"], "TASK_NOT_FOUND"),
    }
    assert await statuses(client, headers_for, tasks) == ["todo", "cancelled", "todo", "todo"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"ids": ["a" * 24] * 2, "status": "done"}, "BULK_DUPLICATE_IDS"),
        ({"ids": [f"{n:024x}" for n in range(501)], "status": "done"}, None),
        ({"ids": [], "status": "done"}, None),
        ({"ids": ["nope"], "status": "done"}, None),
        ({"ids": ["a" * 24], "status": "finished"}, None),
        ({"ids": ["a" * 24], "status": "done", "priority": "low"}, None),
    ],
)
async def test_bad_bulk_bodies_are_422(client, headers_for, project, body, code):
    response = await client.post(bulk_url(project), json=body, headers=headers_for("bob"))
    assert response.status_code == 422
    if code:
        assert response.json()["detail"]["code"] == code


async def test_bulk_needs_an_editor(client, headers_for, project, tasks):
    body = {"ids": [tasks[0]["id"]], "status": "done"}
    viewer = await client.post(bulk_url(project), json=body, headers=headers_for("carol"))
    outsider = await client.post(bulk_url(project), json=body, headers=headers_for("mallory"))
    assert (viewer.status_code, outsider.status_code) == (403, 404)
