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
