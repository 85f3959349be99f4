"""List cursors are signed by core-api and decoded by type: a forged, tampered or foreign
cursor is a 400 on every list, never a 500 (issue 13, hole 1). The codec itself is fuzzed
in libs/platform-common/tests/test_pagination.py."""

import base64
import hashlib
import hmac
import json

import pytest

pytestmark = pytest.mark.usefixtures("seeded")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unsigned(body: str) -> str:
    """A cursor as the walk-through forged them: base64 of any JSON, no signature."""
    return b64(body.encode())


def signed(body: str, key: str) -> str:
    """`body` signed with the server's key: what a leaked key would let an attacker make."""
    mac = hmac.new(key.encode(), body.encode(), hashlib.sha256).digest()
    return f"{b64(body.encode())}.{b64(mac)}"


# What made core-api answer 500: an integer BSON cannot hold, BSON extended JSON for code,
# NaN, plus operators, wrong arity and types no cursor holds.
HOSTILE_VALUES = [
    '[["i", 18446744073709551616], ["o", "0123456789abcdef01234567"]]',
    '[{"$numberLong": "18446744073709551616"}, {"$oid": "0123456789abcdef01234567"}]',
    "[18446744073709551616, 1]",
    '[{"$code": "function () { return 1 }"}, 1]',
    '[["s", {"$code": "sleep(1)"}], ["i", 1]]',
    "[NaN, 1]",
    '[["f", NaN], ["i", 1]]',
    '[["f", Infinity], ["i", 1]]',
    '[["d", 99999999999999999], ["i", 1]]',
    '[{"$ne": null}, 1]',
    '[["o", "not-an-object-id!!!!!!!"], ["i", 1]]',
    '[["o", "ABCDEFabcdef012345678901"], ["i", 1]]',
    '[["i", true], ["i", 1]]',
    '[["x", 1], ["i", 1]]',
    '[["i", 1], ["i", 1], ["i", 1]]',
    '{"$gt": 1}',
]


@pytest.fixture
async def seeded(client, headers_for, make_project) -> None:
    """A project with three tasks, so every list has a second page."""
    project = await make_project({"bob": "editor"})
    for n in range(3):
        await client.post(
            f"/projects/{project['id']}/tasks",
            json={"title": f"t{n}"},
            headers=headers_for("alice"),
        )
        await client.post(
            "/projects", json={"name": f"P{n}", "key": f"P{n}"}, headers=headers_for("alice")
        )


@pytest.fixture
async def lists(client, headers_for) -> dict[str, str]:
    """The three cursor-paged lists, by the name of their sort."""
    admin = headers_for("root", ["admin"])
    projects = (await client.get("/projects", headers=admin)).json()["items"]
    return {
        "projects": "/projects",
        "tasks:-created": f"/projects/{projects[0]['id']}/tasks",
        "audit-newest": "/audit",
    }


async def _get(client, headers_for, url, **params):
    return await client.get(url, params=params, headers=headers_for("root", ["admin"]))


async def _refused(client, headers_for, url, cursor, code="INVALID_CURSOR"):
    response = await _get(client, headers_for, url, cursor=cursor, limit=1)
    assert response.status_code == 400, (url, cursor, response.text)
    assert response.json()["detail"]["code"] == code
    return response


@pytest.mark.parametrize("values", HOSTILE_VALUES)
async def test_forged_cursors_are_400_on_every_list(client, headers_for, lists, settings, values):
    key = settings.cursor_secret.get_secret_value()
    for name, url in lists.items():
        body = f'{{"s": "{name}", "v": {values}}}'
        await _refused(client, headers_for, url, unsigned(body))
        # Even signed with the server's own key, only the plain values a cursor holds pass.
        await _refused(client, headers_for, url, signed(body, key))


async def test_a_tampered_cursor_is_refused(client, headers_for, lists):
    for url in lists.values():
        first = (await _get(client, headers_for, url, limit=1)).json()
        body, mac = first["next"].split(".")
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        payload["v"][-1] = ["o", "f" * 24]
        changed = b64(json.dumps(payload).encode())
        await _refused(client, headers_for, url, f"{changed}.{mac}")
        await _refused(client, headers_for, url, body)
        await _refused(client, headers_for, url, f"{body}.{b64(b'x' * 32)}")
        second = await _get(client, headers_for, url, limit=1, cursor=first["next"])
        assert second.status_code == 200, "the real cursor still works"
        assert second.json()["items"] != first["items"]


async def test_a_cursor_signed_with_another_key_is_refused(client, headers_for, lists):
    for name, url in lists.items():
        body = f'{{"s": "{name}", "v": [["o", "{"0" * 24}"]]}}'
        await _refused(client, headers_for, url, signed(body, "another-key-" * 4))


async def test_a_cursor_from_another_list_is_refused(client, headers_for, lists):
    cursors = {
        name: (await _get(client, headers_for, url, limit=1)).json()["next"]
        for name, url in lists.items()
    }
    for name, url in lists.items():
        for other, cursor in cursors.items():
            if other != name:
                await _refused(client, headers_for, url, cursor, "CURSOR_MISMATCH")


def test_the_cursor_key_must_be_long_enough():
    from core_api.settings import CoreSettings

    with pytest.raises(ValueError, match="cursor_secret"):
        CoreSettings(cursor_secret="short")
