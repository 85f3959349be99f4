"""Projects: who may see and change them, members, unique keys, versions."""

import pytest

ADMIN = ["admin"]


@pytest.fixture
async def project(client, headers_for) -> dict:
    """A project owned by alice, with bob as editor and carol as viewer."""
    created = await client.post(
        "/projects", json={"name": "Apollo", "key": "APL"}, headers=headers_for("alice")
    )
    assert created.status_code == 201
    project = created.json()
    for user, role in [("bob", "editor"), ("carol", "viewer")]:
        response = await client.put(
            f"/projects/{project['id']}/members/{user}",
            json={"role": role},
            headers=headers_for("alice"),
        )
        assert response.status_code == 200
    return (await client.get(f"/projects/{project['id']}", headers=headers_for("alice"))).json()


# (caller, roles) -> expected status for: read, rename, add member, create task, delete
MATRIX = [
    ("alice", None, [200, 200, 200, 201, 204]),  # owner
    ("bob", None, [200, 403, 403, 201, 403]),  # editor
    ("carol", None, [200, 403, 403, 403, 403]),  # viewer
    ("mallory", None, [404, 404, 404, 404, 404]),  # not a member: cannot tell it exists
    ("root", ADMIN, [200, 200, 200, 201, 204]),  # admin
]


@pytest.mark.parametrize(("caller", "roles", "expected"), MATRIX)
async def test_authorization_matrix(client, headers_for, project, caller, roles, expected):
    headers = headers_for(caller, roles)
    url = f"/projects/{project['id']}"
    got = [
        (await client.get(url, headers=headers)).status_code,
        (await client.patch(url, json={"name": "Renamed"}, headers=headers)).status_code,
        (
            await client.put(f"{url}/members/dave", json={"role": "viewer"}, headers=headers)
        ).status_code,
        (await client.post(f"{url}/tasks", json={"title": "T"}, headers=headers)).status_code,
        (await client.delete(url, headers=headers)).status_code,
    ]
    assert got == expected


async def test_a_task_in_an_invisible_project_is_404(client, headers_for, project):
    task = (
        await client.post(
            f"/projects/{project['id']}/tasks", json={"title": "T"}, headers=headers_for("bob")
        )
    ).json()
    for method in ("GET", "PATCH", "DELETE"):
        response = await client.request(
            method,
            f"/tasks/{task['id']}",
            json={"title": "x"} if method == "PATCH" else None,
            headers=headers_for("mallory"),
        )
        assert response.status_code == 404
        assert response.json()["detail"]["code"] == "TASK_NOT_FOUND"
    viewer_patch = await client.patch(
        f"/tasks/{task['id']}", json={"title": "x"}, headers=headers_for("carol")
    )
    assert viewer_patch.status_code == 403
    assert viewer_patch.json()["detail"]["code"] == "PROJECT_ROLE_REQUIRED"


async def test_lists_show_members_their_projects_and_admins_all(client, headers_for, project):
    await client.post("/projects", json={"name": "Other", "key": "OTH"}, headers=headers_for("x"))
    mine = (await client.get("/projects", headers=headers_for("carol"))).json()["items"]
    everything = (await client.get("/projects", headers=headers_for("root", ADMIN))).json()
    none = (await client.get("/projects", headers=headers_for("mallory"))).json()["items"]
    assert [p["key"] for p in mine] == ["APL"]
    assert sorted(p["key"] for p in everything["items"]) == ["APL", "OTH"]
    assert none == []


async def test_project_keys_are_unique(client, headers_for, project):
    again = await client.post(
        "/projects", json={"name": "Again", "key": "APL"}, headers=headers_for("bob")
    )
    assert again.status_code == 409
    assert again.json()["detail"]["code"] == "PROJECT_KEY_TAKEN"


async def test_members_come_and_go_and_the_last_owner_stays(client, headers_for, project):
    url = f"/projects/{project['id']}"
    owner = headers_for("alice")
    removed = await client.delete(f"{url}/members/carol", headers=owner)
    assert {m["user_id"] for m in removed.json()["members"]} == {"alice", "bob"}
    assert (await client.get(url, headers=headers_for("carol"))).status_code == 404
    last = await client.put(f"{url}/members/alice", json={"role": "viewer"}, headers=owner)
    assert last.status_code == 409
    assert last.json()["detail"]["code"] == "LAST_OWNER"
    bad_role = await client.put(f"{url}/members/zed", json={"role": "god"}, headers=owner)
    assert bad_role.status_code == 422


async def test_stale_if_match_is_412_and_changes_nothing(client, headers_for, project):
    url = f"/projects/{project['id']}"
    owner = headers_for("alice")
    current = await client.get(url, headers=owner)
    etag = current.headers["etag"]
    assert etag == f'"{project["version"]}"'
    assert (await client.get(url, headers={**owner, "If-None-Match": etag})).status_code == 304
    renamed = await client.patch(url, json={"name": "New"}, headers={**owner, "If-Match": etag})
    assert renamed.status_code == 200 and renamed.headers["etag"] != etag
    stale = await client.patch(url, json={"name": "Lost"}, headers={**owner, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["detail"]["code"] == "VERSION_MISMATCH"
    assert (await client.get(url, headers=owner)).json()["name"] == "New"
    stale_delete = await client.delete(url, headers={**owner, "If-Match": etag})
    assert stale_delete.status_code == 412


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "A", "key": "lower"}, 422),
        ({"name": "", "key": "ABC"}, 422),
        ({"name": "A" * 201, "key": "ABC"}, 422),
        ({"name": "A", "key": "ABC", "owner": "me"}, 422),
        ({"name": 5, "key": "ABC"}, 422),
        ({"key": "ABC"}, 422),
    ],
)
async def test_bad_project_input_is_rejected(client, headers_for, body, status):
    response = await client.post("/projects", json=body, headers=headers_for("alice"))
    assert response.status_code == status
    assert (await client.get("/projects", headers=headers_for("alice"))).json()["items"] == []


async def test_bad_ids_and_missing_projects(client, headers_for):
    invalid = await client.get("/projects/not-an-id", headers=headers_for("alice"))
    assert invalid.status_code == 422
    assert invalid.json()["detail"]["code"] == "INVALID_OBJECT_ID"
    missing = await client.get("/projects/" + "0" * 24, headers=headers_for("alice"))
    assert missing.status_code == 404
    assert missing.json()["detail"]["code"] == "PROJECT_NOT_FOUND"
    assert (await client.get("/projects")).status_code == 401


async def test_deleting_a_project_deletes_its_tasks(client, headers_for, project):
    task = (
        await client.post(
            f"/projects/{project['id']}/tasks", json={"title": "T"}, headers=headers_for("bob")
        )
    ).json()
    assert (
        await client.delete(f"/projects/{project['id']}", headers=headers_for("alice"))
    ).status_code == 204
    gone = await client.get(f"/tasks/{task['id']}", headers=headers_for("root", ADMIN))
    assert gone.status_code == 404


async def test_every_change_is_audited(client, headers_for, project):
    entries = (
        await client.get(
            "/audit", params={"project_id": project["id"]}, headers=headers_for("root", ADMIN)
        )
    ).json()["items"]
    assert [e["action"] for e in entries] == [
        "project.member_set",
        "project.member_set",
        "project.created",
    ]
    assert entries[0]["actor"] == "alice"
    assert entries[0]["before"]["version"] + 1 == entries[0]["after"]["version"]


async def test_q_finds_the_callers_projects_by_part_of_their_name(client, headers_for):
    names = ["Apollo", "Moon APOLLO 2", "Gemini", "a.b (old)", "Apollo of Bob"]
    for n, name in enumerate(names):
        caller = headers_for("bob" if name.endswith("Bob") else "alice")
        body = {"name": name, "key": f"K{n}"}
        assert (await client.post("/projects", json=body, headers=caller)).status_code == 201

    async def found(q: str, caller: str = "alice", **params) -> list[str]:
        response = await client.get(
            "/projects", params={"q": q, **params}, headers=headers_for(caller)
        )
        assert response.status_code == 200, response.text
        return [p["name"] for p in response.json()["items"]]

    assert await found("apollo") == ["Apollo", "Moon APOLLO 2"]
    assert await found("apollo", "bob") == ["Apollo of Bob"]
    # Regular-expression characters match themselves.
    assert await found(".") == ["a.b (old)"]
    assert await found("(old)") == ["a.b (old)"]
    assert await found("a.*") == []
    assert await found("[") == []
    assert await found("apollo", "root") == []  # root is no member of any


async def test_q_pages_with_its_cursor_and_is_bounded(client, headers_for):
    owner = headers_for("alice")
    for n in range(3):
        body = {"name": f"Match {n}", "key": f"M{n}"}
        await client.post("/projects", json=body, headers=owner)
    await client.post("/projects", json={"name": "Other", "key": "OT"}, headers=owner)
    first = await client.get("/projects", params={"q": "match", "limit": 2}, headers=owner)
    assert [p["name"] for p in first.json()["items"]] == ["Match 0", "Match 1"]
    params = {"q": "match", "limit": 2, "cursor": first.json()["next"]}
    rest = await client.get("/projects", params=params, headers=owner)
    assert [p["name"] for p in rest.json()["items"]] == ["Match 2"]
    assert rest.json()["next"] is None
    for q in ("", "x" * 201):
        response = await client.get("/projects", params={"q": q}, headers=owner)
        assert response.status_code == 422
