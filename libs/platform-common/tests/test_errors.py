"""What a client sees when its request is refused or the service fails."""

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from platform_common.errors import install_error_handlers


class SignUp(BaseModel):
    email: str
    age: int


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/sign-up")
    async def sign_up(body: SignUp) -> dict[str, str]:
        return {"email": body.email}

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("database password is swordfish")

    return app


async def _client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_a_refused_value_is_named_but_never_echoed():
    async with await _client() as client:
        response = await client.post(
            "/sign-up", json={"email": "a@b.io", "age": "secret-token-123"}
        )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "age"]
    assert "secret-token-123" not in response.text


async def test_a_number_json_cannot_carry_is_a_422_not_a_500():
    async with await _client() as client:
        response = await client.post(
            "/sign-up",
            content=b'{"email": "a@b.io", "age": 1e999}',
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 422


async def test_an_unexpected_failure_is_a_coded_500_without_details():
    async with await _client() as client:
        response = await client.get("/broken")
    assert response.status_code == 500
    assert response.json() == {
        "detail": {"code": "INTERNAL_ERROR", "reason": "Unexpected error; see server logs"}
    }
