"""The merged document of the real services: what clients are generated from."""

from typing import Any

import pytest

from gateway.tests.platform_document import platform_document
from platform_common.operation_ids import OPERATION_ID

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def document(make_settings, tmp_path) -> dict[str, Any]:
    return platform_document(make_settings(), tmp_path)


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_every_operation_has_a_chosen_unique_operation_id(document):
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) > 60
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert [i for i in ids if not OPERATION_ID.fullmatch(i)] == []
    # Chosen names, not FastAPI's `<function>_<path>_<method>` nor a merge-time rename.
    assert {"projects_list", "tasks_update", "session_login", "fragments_publish"} <= set(ids)
    assert [i for i in ids if i.endswith(("_get", "_post")) and "__" in i] == []
    assert [i for i in ids if i.startswith(("auth_", "core_")) and "health" not in i] == []


def test_every_operation_has_a_declared_tag(document):
    declared = {tag["name"] for tag in document["tags"]}
    assert all(tag.get("description") for tag in document["tags"])
    untagged = [(m, p) for m, p, operation in operations(document) if not operation.get("tags")]
    assert untagged == []
    used = {tag for _, _, operation in operations(document) for tag in operation["tags"]}
    assert used <= declared, used - declared


def test_a_route_without_a_chosen_name_is_refused_at_start_up():
    from fastapi import FastAPI

    from platform_common.operation_ids import operation_id

    app = FastAPI(generate_unique_id_function=operation_id)
    with pytest.raises(ValueError, match="name the route"):

        @app.get("/things")
        async def things() -> list[str]:
            return []


def error_answers(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s: r for s, r in operation["responses"].items() if s.isdigit() and int(s) >= 400}


def test_every_error_answer_is_an_error_body_with_its_codes(document):
    schemas = document["components"]["schemas"]
    assert {"ErrorBody"} <= set(schemas)
    assert not {"HTTPValidationError", "ValidationError", "ErrorModel"} & set(schemas)
    untyped = []
    for method, path, operation in operations(document):
        for status, answer in error_answers(operation).items():
            schema = answer["content"]["application/json"]["schema"]
            if schema != {"$ref": "#/components/schemas/ErrorBody"} and not path.endswith("readyz"):
                untyped.append((method, path, status))
    assert untyped == []


def test_every_secured_operation_declares_401_and_every_proxied_one_the_gateway_errors(document):
    for method, path, operation in operations(document):
        if operation.get("security") and all(operation["security"]):
            assert "401" in operation["responses"], (method, path)
        if path.startswith("/api/"):
            assert {"429", "502", "503", "504"} <= set(operation["responses"]), (method, path)
        if path.startswith("/api/") and "requestBody" in operation:
            assert operation["responses"]["413"]["x-error-codes"][-1] == "BODY_TOO_LARGE"
            assert operation["responses"]["408"]["x-error-codes"] == ["REQUEST_TIMEOUT"]


def test_the_codes_a_route_can_answer_are_listed(document):
    def codes(path: str, method: str, status: str) -> list[str]:
        return document["paths"][path][method]["responses"][status]["x-error-codes"]

    update = "/api/core/tasks/{task_id}"
    assert codes(update, "patch", "412") == ["VERSION_MISMATCH"]
    assert codes(update, "patch", "404") == ["TASK_NOT_FOUND"]
    assert "TOKEN_EXPIRED" in codes(update, "patch", "401")
    assert codes(update, "patch", "422") == [
        "INVALID_OBJECT_ID",
        "ASSIGNEE_NOT_MEMBER",
        "REQUEST_INVALID",
    ]
    assert "REGISTER_USER_ALREADY_EXISTS" in codes("/api/auth/register", "post", "400")
    assert codes("/api/auth/jwt/login", "post", "429") == [
        "LOGIN_TOO_MANY_ATTEMPTS",
        "RATE_LIMITED",
        "TOO_MANY_CONNECTIONS",
    ]
    assert "MEMBER_CHECK_UNAVAILABLE" in codes(
        "/api/core/projects/{project_id}/members/{user_id}", "put", "503"
    )


def test_one_oauth2_scheme_serves_people_and_service_accounts_and_public_operations_say_so(
    document,
):
    assert document["servers"] == [{"url": "/"}]
    schemes = document["components"]["securitySchemes"]
    assert schemes["OAuth2"]["flows"] == {
        "password": {"tokenUrl": "/api/auth/jwt/login", "scopes": {}},
        "clientCredentials": {"tokenUrl": "/api/auth/token", "scopes": {}},
    }
    assert not {"HTTPBearer", "OAuth2PasswordBearer"} & set(schemes)
    security = {
        (method, path): operation["security"] for method, path, operation in operations(document)
    }
    assert security[("GET", "/api/core/projects")] == [{"OAuth2": []}]
    assert security[("GET", "/api/auth/users/me")] == [{"OAuth2": []}]
    # A token is optional: anonymous or signed in.
    assert sorted(map(len, security[("GET", "/api/core/fragments/manifest")])) == [0, 1]
    for public in (
        ("POST", "/api/auth/jwt/login"),
        ("POST", "/api/auth/register"),
        ("GET", "/api/auth/.well-known/jwks.json"),
        ("GET", "/healthz"),
        ("GET", "/api/core/healthz"),
    ):
        assert security[public] == [], public


def test_versioned_resources_declare_their_etag_and_conditional_headers(document):
    def operation(path: str, method: str) -> dict[str, Any]:
        return document["paths"][path][method]

    def headers(op: dict[str, Any]) -> set[str]:
        return {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}

    task, project = "/api/core/tasks/{task_id}", "/api/core/projects/{project_id}"
    for path in (task, project):
        read = operation(path, "get")
        assert headers(read) == {"If-None-Match"}
        assert "ETag" in read["responses"]["200"]["headers"]
        assert "ETag" in read["responses"]["304"]["headers"]
        schema = read["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith(("/TaskOut", "/ProjectOut"))
        assert headers(operation(path, "patch")) == {"If-Match"}
        assert headers(operation(path, "delete")) == {"If-Match"}
        assert "412" in operation(path, "patch")["responses"]
    assert headers(operation("/api/core/fragments/manifest", "get")) == {"If-None-Match"}


# Answers still declared as a free-form object (each an open item in docs/api.md).
UNTYPED_YET = {
    ("GET", "/api/core/fragments/{name}/health"),
    ("GET", "/api/auth/.well-known/jwks.json"),
    ("GET", "/api/auth/.well-known/openid-configuration"),
}


def test_answers_are_typed(document):
    untyped = set()
    for method, path, operation in operations(document):
        for status, answer in operation["responses"].items():
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            free_form = not schema.get("properties") and schema.get("additionalProperties", True)
            if status.startswith("2") and schema.get("type") == "object" and free_form is True:
                untyped.add((method, path))
            array_of_free_form = schema.get("type") == "array" and "$ref" not in schema["items"]
            if status.startswith("2") and array_of_free_form:
                untyped.add((method, path))
    assert untyped <= UNTYPED_YET, untyped - UNTYPED_YET
    assert ("GET", "/api/core/fragments/{name}") not in untyped


def test_what_the_server_refuses_the_schemas_say(document):
    """Rules a schema can express are in it, so a generated request the schema allows is not
    refused (schemathesis' positive_data_acceptance; tests/consumers/test_schemathesis.py)."""
    for _, path, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":  # the edge refuses control characters in paths
                assert "pattern" in parameter["schema"], (path, parameter["name"])
    ids = document["paths"]["/api/core/tasks/{task_id}"]["patch"]["parameters"]
    assert {p["name"]: p["schema"].get("pattern") for p in ids} == {
        "task_id": "^[0-9a-fA-F]{24}$",
        "If-Match": '^(\\*|(W/)?"[0-9]{1,18}")$',
    }
    schemas = document["components"]["schemas"]
    # A PATCH field that cannot be unset has no null; assignee and due can be cleared.
    task_update = schemas["TaskUpdate"]["properties"]
    assert task_update["title"]["type"] == "string"
    assert {"type": "null"} in task_update["assignee"]["anyOf"]
    assert "anyOf" not in schemas["ProjectUpdate"]["properties"]["name"]
    assert schemas["SignUp"]["properties"]["password"]["minLength"] == 10
    # Sign-up takes what a person types, nothing of an account's flags or roles.
    assert schemas["SignUp"]["additionalProperties"] is False
    assert set(schemas["SignUp"]["properties"]) == {"email", "password", "full_name"}
    # Client credentials by HTTP Basic or in the form (RFC 6749 section 2.3.1).
    token = document["paths"]["/api/auth/token"]["post"]
    assert token["security"] == [{"HTTPBasic": []}, {}]
