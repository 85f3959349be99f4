"""What a client sees when its request is refused or the service fails."""

import httpx
from fastapi import APIRouter, FastAPI, HTTPException
from pydantic import BaseModel

from platform_common.errors import ApiError, ErrorBody, install_error_handlers
from platform_common.middleware import RequestContextMiddleware


class SignUp(BaseModel):
    email: str
    age: int


def _app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(RequestContextMiddleware, service="test", log_level="WARNING")
    install_error_handlers(app)

    @app.get("/tasks/mine")  # before the template, as a fixed path must be
    async def my_tasks() -> None: ...

    @app.get("/tasks/{task_id}")
    async def task(task_id: str) -> None:
        raise ApiError(412, "VERSION_MISMATCH", "Reload it", current_version=3)

    # More routes on the same path, from a router as the services include theirs.
    tasks = APIRouter(prefix="/tasks")

    @tasks.patch("/{task_id}")
    async def update_task(task_id: str) -> None: ...

    @tasks.delete("/{task_id}")
    async def delete_task(task_id: str) -> None: ...

    app.include_router(tasks)

    @app.post("/sign-up")
    async def sign_up(body: SignUp) -> dict[str, str]:
        return {"email": body.email}

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("database password is swordfish")

    @app.get("/projects/{name}")
    async def project(name: str) -> None:
        raise HTTPException(404, detail={"code": "PROJECT_NOT_FOUND", "reason": f"No {name}"})

    @app.post("/login")
    async def login() -> None:
        raise HTTPException(400, detail="LOGIN_BAD_CREDENTIALS")  # as fastapi-users answers

    @app.get("/private")
    async def private() -> None:
        raise HTTPException(401, headers={"WWW-Authenticate": "Bearer"})

    @app.get("/cached")
    async def cached() -> None:
        raise HTTPException(304, headers={"ETag": '"v1"'})

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
    body = response.json()
    assert (body["code"], body["message"]) == (
        "INTERNAL_ERROR",
        "Unexpected error; see server logs",
    )
    assert "swordfish" not in response.text


async def test_a_method_the_route_does_not_allow_is_a_coded_405_that_keeps_allow():
    async with await _client() as client:
        response = await client.post("/broken")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["detail"]["code"] == "METHOD_NOT_ALLOWED"
    assert response.json()["detail"]["reason"]


async def test_a_405_allows_the_methods_of_every_route_of_the_path():
    async with await _client() as client:
        response = await client.put("/tasks/7")
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, PATCH"


async def test_a_405_on_a_fixed_path_allows_its_own_methods_not_a_templates():
    async with await _client() as client:
        response = await client.put("/tasks/mine")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


async def test_an_unknown_path_is_a_coded_404():
    async with await _client() as client:
        response = await client.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "NOT_FOUND"


async def test_an_error_raised_without_detail_gets_its_status_code_and_keeps_headers():
    async with await _client() as client:
        response = await client.get("/private")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["detail"]["code"] == "UNAUTHORIZED"


async def test_a_detail_our_code_chose_passes_unchanged():
    async with await _client() as client:
        response = await client.get("/projects/apollo")
    assert response.status_code == 404
    assert response.json()["detail"] == {"code": "PROJECT_NOT_FOUND", "reason": "No apollo"}


async def test_a_fastapi_users_string_code_passes_unchanged():
    async with await _client() as client:
        response = await client.post("/login")
    assert response.status_code == 400
    assert response.json()["detail"] == "LOGIN_BAD_CREDENTIALS"


async def test_a_not_modified_answer_keeps_its_headers_and_has_no_body():
    async with await _client() as client:
        response = await client.get("/cached")
    assert response.status_code == 304
    assert response.headers["etag"] == '"v1"'
    assert response.content == b""


async def test_every_error_is_one_error_body_with_the_request_id():
    async with await _client() as client:
        answers = {
            path: await client.request(method, path, headers={"X-Request-ID": "req-7"}, **extra)
            for method, path, extra in (
                ("GET", "/tasks/1", {}),
                ("GET", "/projects/apollo", {}),
                ("POST", "/login", {}),
                ("GET", "/private", {}),
                ("POST", "/broken", {}),
                ("GET", "/broken", {}),
                ("POST", "/sign-up", {"json": {"email": "a@b.io"}}),
            )
        }
    codes = {path: answer.json()["code"] for path, answer in answers.items()}
    assert codes == {
        "/tasks/1": "VERSION_MISMATCH",
        "/projects/apollo": "PROJECT_NOT_FOUND",
        "/login": "LOGIN_BAD_CREDENTIALS",
        "/private": "UNAUTHORIZED",
        "/broken": "INTERNAL_ERROR",
        "/sign-up": "REQUEST_INVALID",
    }
    for answer in answers.values():
        body = ErrorBody.model_validate(answer.json())
        assert body.message and body.request_id == "req-7"
    # Until 1.0 `detail` keeps the former body's value, which clients parse today.
    assert answers["/tasks/1"].json()["detail"] == {
        "code": "VERSION_MISMATCH",
        "reason": "Reload it",
        "current_version": 3,
    }
    assert answers["/sign-up"].json()["detail"][0]["loc"] == ["body", "age"]
