"""Every operation's id is its route's explicit name, `<resource>_<verb>` (`projects_list`,
`tasks_update`): generated clients take their method names from it, so it is chosen, not
derived from the path and function as FastAPI does by default."""

import re

from fastapi.routing import APIRoute

OPERATION_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def operation_id(route: APIRoute) -> str:
    """FastAPI's `generate_unique_id_function`: the route's `name`, refused at start-up when it
    is not in the `<resource>_<verb>` style (a route added without choosing one)."""
    if route.include_in_schema and not OPERATION_ID.fullmatch(route.name):
        raise ValueError(
            f"{sorted(route.methods or ())} {route.path}: name the route '<resource>_<verb>' "
            f"(its operationId), not {route.name!r}"
        )
    return route.name
