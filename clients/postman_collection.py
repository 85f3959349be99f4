"""The Postman collection: openapi-to-postmanv2's conversion of the merged document (every
operation, foldered by tag), made reproducible, with the journeys (postman/journeys.json:
requests in order with their test scripts) added as the first folder."""

import json
from pathlib import Path
from typing import Any

JOURNEYS = Path(__file__).resolve().parent / "postman/journeys.json"


def build_collection(converted: dict[str, Any]) -> dict[str, Any]:
    collection = _without_ids(converted)
    collection["info"]["_postman_id"] = "9d7f7b5e-platform-api"
    collection["item"].insert(0, json.loads(JOURNEYS.read_text()))
    collection["variable"] = [{"key": "baseUrl", "value": "http://127.0.0.1:8000"}]
    return collection


def _without_ids(node: Any) -> Any:
    """The converter gives every item and response a random id; Postman makes its own."""
    if isinstance(node, dict):
        return {key: _without_ids(value) for key, value in node.items() if key != "id"}
    if isinstance(node, list):
        return [_without_ids(value) for value in node]
    return node
