"""Errors the gateway's own routing raises carry a stable code, like every other error."""


async def test_a_post_to_a_shell_page_is_a_coded_405_that_keeps_allow(gateway, shell):
    response = await gateway.post("/projects/apollo", json={})
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}
    assert response.json()["detail"]["code"] == "METHOD_NOT_ALLOWED"
    assert shell.seen == []
