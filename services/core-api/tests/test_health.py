async def test_alive(client):
    response = await client.get("/healthz")
    assert response.status_code == 200


async def test_ready_when_the_store_answers(client):
    response = await client.get("/readyz")
    assert response.json() == {"status": "ok", "checks": {"store": {"status": "ok"}}}
    assert response.headers["x-request-id"]


async def test_a_sent_request_id_is_kept_and_a_forged_one_replaced(client):
    assert (await client.get("/healthz", headers={"X-Request-ID": "abc-123"})).headers[
        "x-request-id"
    ] == "abc-123"
    forged = await client.get("/healthz", headers={"X-Request-ID": 'evil"\nline'})
    assert forged.headers["x-request-id"] != 'evil"\nline'
