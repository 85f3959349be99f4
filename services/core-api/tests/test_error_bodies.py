"""Errors the framework raises (routing) carry a stable code like the API's own errors."""


async def test_a_method_the_route_does_not_allow_is_a_coded_405_that_keeps_allow(client):
    response = await client.put("/healthz")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["detail"]["code"] == "METHOD_NOT_ALLOWED"


async def test_an_unknown_path_is_a_coded_404(client):
    response = await client.get("/no-such-collection")
    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "NOT_FOUND"
