"""Tasks: fields, status rules, versions, bad input, and the events and audit they leave."""

import pytest


@pytest.fixture
async def project(make_project) -> dict:
    return await make_project({"bob": "editor"})


@pytest.fixture
async def task(client, headers_for, project) -> dict:
    response = await client.post(
        f"/projects/{project['id']}/tasks",
        json={
            "title": "Write the launch plan",
            "description": "All of it",
            "priority": "high",
            "assignee": "bob",
            "labels": ["plan", "launch"],
            "due": "2030-01-31",
        },
        headers=headers_for("alice"),
    )
    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    return response.json()


async def test_a_task_keeps_what_it_was_given(client, headers_for, task):
    fetched = (await client.get(f"/tasks/{task['id']}", headers=headers_for("bob"))).json()
    assert fetched == task
    assert fetched["status"] == "todo"
    assert fetched["due"] == "2030-01-31"
    assert fetched["labels"] == ["plan", "launch"]
    assert fetched["created_by"] == "alice"
    assert fetched["completed_at"] is None


async def test_done_sets_and_reopen_clears_completion(client, headers_for, task):
    url, bob = f"/tasks/{task['id']}", headers_for("bob")
    done = (await client.patch(url, json={"status": "done"}, headers=bob)).json()
    assert done["completed_at"] is not None and done["version"] == 2
    reopened = (await client.patch(url, json={"status": "in_progress"}, headers=bob)).json()
    assert reopened["completed_at"] is None


async def test_a_cancelled_task_must_be_reopened_first(client, headers_for, task):
    url, bob = f"/tasks/{task['id']}", headers_for("bob")
    await client.patch(url, json={"status": "cancelled"}, headers=bob)
    refused = await client.patch(url, json={"status": "done"}, headers=bob)
    assert refused.status_code == 409
    assert refused.json()["detail"]["code"] == "INVALID_TRANSITION"
    assert (await client.get(url, headers=bob)).json()["status"] == "cancelled"
    assert (await client.patch(url, json={"status": "todo"}, headers=bob)).status_code == 200


async def test_null_clears_assignee_and_due(client, headers_for, task):
    cleared = await client.patch(
        f"/tasks/{task['id']}", json={"assignee": None, "due": None}, headers=headers_for("bob")
    )
    assert cleared.json()["assignee"] is None and cleared.json()["due"] is None


async def test_stale_if_match_gets_412_and_changes_nothing(client, headers_for, task):
    url, bob = f"/tasks/{task['id']}", headers_for("bob")
    first = await client.patch(url, json={"title": "One"}, headers={**bob, "If-Match": '"1"'})
    assert first.status_code == 200 and first.headers["etag"] == '"2"'
    second = await client.patch(url, json={"title": "Two"}, headers={**bob, "If-Match": '"1"'})
    assert second.status_code == 412
    assert second.json()["detail"]["code"] == "VERSION_MISMATCH"
    current = await client.get(url, headers=bob)
    assert current.json()["title"] == "One"
    assert (
        await client.get(url, headers={**bob, "If-None-Match": current.headers["etag"]})
    ).status_code == 304
    assert (await client.get(url, headers={**bob, "If-None-Match": '"1"'})).status_code == 200


@pytest.mark.parametrize(
    "if_match", [b"1", b'""', b'"-1"', b'"1e3"', b'"1", "2"', b'"\xb9"', b'"' + b"9" * 40 + b'"']
)
async def test_a_malformed_if_match_is_400_and_changes_nothing(client, headers_for, task, if_match):
    url, bob = f"/tasks/{task['id']}", headers_for("bob")
    malformed = await client.patch(url, json={"title": "X"}, headers={**bob, "If-Match": if_match})
    assert malformed.status_code == 400
    assert malformed.json()["detail"]["code"] == "INVALID_IF_MATCH"
    assert (await client.get(url, headers=bob)).json()["version"] == task["version"]


async def test_a_deleted_task_is_gone_for_every_verb(client, headers_for, task):
    url, bob = f"/tasks/{task['id']}", headers_for("bob")
    assert (await client.delete(url, headers=bob)).status_code == 204
    for method, body in [("GET", None), ("PATCH", {"title": "x"}), ("DELETE", None)]:
        response = await client.request(method, url, json=body, headers=bob)
        assert response.status_code == 404
        assert response.json()["detail"]["code"] == "TASK_NOT_FOUND"


BAD_CREATES = [
    ({"title": "x" * 501}, "string_too_long"),
    ({"title": ""}, "string_too_short"),
    ({"title": "T", "description": "d" * 20_001}, "string_too_long"),
    ({"title": "T", "status": "blocked"}, "enum"),
    ({"title": "T", "priority": 3}, "enum"),
    ({"title": 42}, "string_type"),
    ({"title": "T", "labels": "one"}, "list_type"),
    ({"title": "T", "labels": ["x"] * 21}, "too_long"),
    ({"title": "T", "due": "tomorrow"}, "date_from_datetime_parsing"),
    ({"title": "T", "version": 7}, "extra_forbidden"),
    ({"title": "T", "project_id": "x"}, "extra_forbidden"),
]


@pytest.mark.parametrize(("body", "error_type"), BAD_CREATES)
async def test_bad_task_input_is_422_and_creates_nothing(
    client, headers_for, project, body, error_type
):
    url = f"/projects/{project['id']}/tasks"
    response = await client.post(url, json=body, headers=headers_for("bob"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == error_type
    assert (await client.get(url, headers=headers_for("bob"))).json()["items"] == []


@pytest.mark.parametrize(
    "body", [{"title": None}, {"status": None}, {"title": "x" * 501}, {"colour": "red"}]
)
async def test_bad_patches_are_422_and_change_nothing(client, headers_for, task, body):
    url = f"/tasks/{task['id']}"
    response = await client.patch(url, json=body, headers=headers_for("bob"))
    assert response.status_code == 422
    assert (await client.get(url, headers=headers_for("bob"))).json() == task


async def test_the_assignee_must_be_a_member(client, headers_for, project):
    response = await client.post(
        f"/projects/{project['id']}/tasks",
        json={"title": "T", "assignee": "stranger"},
        headers=headers_for("bob"),
    )
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "ASSIGNEE_NOT_MEMBER"


async def test_invalid_task_ids_are_rejected_precisely(client, headers_for):
    response = await client.get("/tasks/xyz", headers=headers_for("bob"))
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "INVALID_OBJECT_ID"
    assert (await client.get("/tasks/" + "a" * 24, headers=headers_for("bob"))).status_code == 404


async def test_changes_are_audited_with_before_and_after(client, headers_for, task):
    await client.patch(f"/tasks/{task['id']}", json={"priority": "low"}, headers=headers_for("bob"))
    entries = (
        await client.get(
            "/audit", params={"target_id": task["id"]}, headers=headers_for("root", ["admin"])
        )
    ).json()["items"]
    assert [e["action"] for e in entries] == ["task.updated", "task.created"]
    assert entries[0]["actor"] == "bob"
    assert (entries[0]["before"]["priority"], entries[0]["after"]["priority"]) == ("high", "low")


async def test_changes_are_published_to_the_projects_members(client, headers_for, task):
    app_bus = client._transport.app.state.events  # the app behind the test client
    async with (
        app_bus.subscribe(lambda e: e.visible_to.admits(_principal("bob")), None) as bob,
        app_bus.subscribe(lambda e: e.visible_to.admits(_principal("eve")), None) as eve,
    ):
        await client.patch(
            f"/tasks/{task['id']}", json={"status": "done"}, headers=headers_for("bob")
        )
        event = bob.queue.get_nowait()
        assert event.type == "task.updated"
        assert event.data["status"] == "done"
        assert eve.queue.empty()


def _principal(subject: str):
    from platform_common.tokens import Principal

    return Principal(subject=subject, roles=frozenset(), token_id="t", expires_at=0)
