"""Errors the gateway's own routing raises carry a stable code, like every other error."""


async def test_a_post_to_a_shell_page_is_a_coded_405_that_keeps_allow(gateway, shell):
    response = await gateway.post("/projects/apollo", json={})
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}
    assert response.json()["detail"]["code"] == "METHOD_NOT_ALLOWED"
    assert shell.seen == []


async def test_an_answer_the_gateway_makes_itself_carries_its_request_id(gateway):
    response = await gateway.get("/api/nothing-here", headers={"x-request-id": "req-15-abc"})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "API_NOT_FOUND"
    assert body["request_id"] == response.headers["x-request-id"] == "req-15-abc"


async def test_a_request_refused_at_the_edge_carries_its_request_id(gateway):
    response = await gateway.get("/api/core/projects", params={"q": "x" * 9000})
    assert response.status_code == 414
    assert response.json()["code"] == "URL_TOO_LONG"
    assert response.json()["request_id"] == response.headers["x-request-id"]
