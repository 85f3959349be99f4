"""What every service's OpenAPI document says the same way: each error answer is an
`ErrorBody` with the codes it may carry, and every secured operation declares its 401."""

import json
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI

from platform_common.errors import (
    EXAMPLE_REQUEST_ID,
    REQUEST_INVALID,
    ErrorBody,
    code_and_message,
    error_body,
    error_response_spec,
)

# What platform_common.tokens answers for a missing or refused bearer token.
TOKEN_ERROR_CODES = (
    "TOKEN_MISSING",
    "TOKEN_MALFORMED",
    "TOKEN_EXPIRED",
    "TOKEN_REVOKED",
    "TOKEN_KID_MISSING",
    "TOKEN_ALGORITHM_REJECTED",
    "TOKEN_ISSUER_REJECTED",
    "TOKEN_AUDIENCE_REJECTED",
    "TOKEN_CLAIM_MISSING",
)
ERROR_BODY_REF = {"$ref": "#/components/schemas/ErrorBody"}
# FastAPI's and fastapi-users' error schemas, replaced by ErrorBody everywhere.
REPLACED_SCHEMAS = ("HTTPValidationError", "ErrorModel", "ValidationError")


def documented_openapi(
    app: FastAPI, unauthorized_codes: Iterable[str] = TOKEN_ERROR_CODES
) -> Callable[[], dict[str, Any]]:
    """A replacement for `app.openapi`: FastAPI's document with the error answers declared."""
    codes = list(unauthorized_codes)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_errors(FastAPI.openapi(app), codes)
        return app.openapi_schema

    return openapi


def declare_errors(spec: dict[str, Any], unauthorized_codes: list[str]) -> dict[str, Any]:
    spec.setdefault("components", {}).setdefault("schemas", {})["ErrorBody"] = (
        ErrorBody.model_json_schema()
    )
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                _declare_operation_errors(operation, unauthorized_codes)
    schemas = spec["components"]["schemas"]
    for name in REPLACED_SCHEMAS:  # HTTPValidationError first: it refers to ValidationError
        if name in schemas and f'"#/components/schemas/{name}"' not in json.dumps(spec):
            del schemas[name]
    return spec


def _declare_operation_errors(operation: dict[str, Any], unauthorized_codes: list[str]) -> None:
    # An operation without a security requirement is public: say so, or a document-wide
    # default (the gateway's merged one) would apply.
    operation.setdefault("security", [])
    responses = operation["responses"]
    if "422" in responses:
        # The route's own 422 codes (a refused id, a rule of the service) and the schema's.
        codes = [*responses["422"].get("x-error-codes", []), REQUEST_INVALID]
        responses["422"] = error_response_spec(422, codes)
    if _is_secured(operation) and "401" not in responses:
        responses["401"] = error_response_spec(401, unauthorized_codes)
    for status, response in responses.items():
        if status.isdigit() and int(status) >= 400:
            _as_error_body(response)


def _is_secured(operation: dict[str, Any]) -> bool:
    requirements = operation.get("security", [])
    return bool(requirements) and all(requirement for requirement in requirements)


def _as_error_body(response: dict[str, Any]) -> None:
    """Points the answer at ErrorBody; examples in the former shape (fastapi-users'
    `{"detail": "CODE"}`) are rewritten and their codes listed in `x-error-codes`."""
    media = response.setdefault("content", {}).setdefault("application/json", {})
    schema = media.get("schema", {})
    if schema and schema.get("$ref", "").rsplit("/", 1)[-1] not in (*REPLACED_SCHEMAS, "ErrorBody"):
        return  # an answer of its own (a readiness report), not an error body
    media["schema"] = ERROR_BODY_REF
    codes = list(response.get("x-error-codes", []))
    for name, example in media.get("examples", {}).items():
        value = example.get("value", {})
        if "detail" in value and "code" not in value:
            detail = value["detail"]
            code, message = code_and_message(detail)
            example["value"] = error_body(code, message, EXAMPLE_REQUEST_ID, detail)
        code = example["value"].get("code", name)
        if code not in codes:
            codes.append(code)
    if codes:
        response["x-error-codes"] = codes


# Conditional requests, declared where a route reads or sets them (core-api's versioned
# resources, the fragment manifest): `openapi_extra=conditional(...)`, `responses=etag(...)`.
ETAG_HEADER = {
    "ETag": {
        "description": 'The version of what was answered (`"3"`): send it back as If-Match '
        "to change exactly this version, or If-None-Match to be told 304 when unchanged",
        "schema": {"type": "string"},
    }
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'Change only this version (an ETag such as "3", or *); 412 '
    "VERSION_MISMATCH when the resource changed since",
    # The versions are numbers (core_api.concurrency); anything else is 400 INVALID_IF_MATCH.
    "schema": {"type": "string", "pattern": r'^(\*|(W/)?"[0-9]{1,18}")$'},
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag you hold: 304 without a body when it is still current",
    "schema": {"type": "string"},
}


def conditional(*, if_match: bool = False, if_none_match: bool = False) -> dict[str, Any]:
    """`openapi_extra` declaring the conditional headers a route reads from the request."""
    parameters = [IF_MATCH] if if_match else []
    parameters += [IF_NONE_MATCH] if if_none_match else []
    return {"parameters": parameters}


def etag(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses` entries saying which answers carry an ETag (304 included when listed)."""
    return {
        status: {"headers": ETAG_HEADER}
        | ({"description": "Unchanged since If-None-Match"} if status == 304 else {})
        for status in statuses
    }
