"""Maintenance commands. They talk to the store directly with the CORE_* settings.

python -m core_api.cli rebuild-stats [--project ID]

rebuild-stats recomputes the statistics rollups from the tasks (all projects, or one). A
running core-api keeps its own writes out of a rebuild it runs itself (POST /stats/rebuild);
this command cannot, so run it while nobody writes tasks, or use the endpoint.
"""

import argparse
import asyncio
import sys
from typing import Any

from beanie import init_beanie
from bson import ObjectId
from bson.errors import InvalidId

from core_api.models import DOCUMENTS, Project
from core_api.rollups import Rollups
from core_api.settings import CoreSettings
from platform_common.store import connect


async def rebuild_stats(settings: CoreSettings, project: str | None) -> dict[str, int]:
    client = connect(settings.mongodb_uri, "core-api-cli")
    try:
        await init_beanie(
            database=client[settings.database], document_models=DOCUMENTS, skip_indexes=True
        )
        rollups = Rollups()
        if project is None:
            return await rollups.rebuild_all()
        project_id = _object_id(project)
        if await Project.get(project_id) is None:
            raise SystemExit(f"no project {project}")
        return {project: await rollups.rebuild(project_id)}
    finally:
        await client.close()


def _object_id(value: str) -> Any:
    try:
        return ObjectId(value)
    except InvalidId as error:
        raise SystemExit(f"{value!r} is not a project id (24 hex digits)") from error


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m core_api.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    rebuild = commands.add_parser("rebuild-stats", help="recompute the statistics rollups")
    rebuild.add_argument("--project", help="one project's id (default: every project)")
    args = parser.parse_args(argv)
    counted = asyncio.run(rebuild_stats(CoreSettings(), args.project))
    for project_id, tasks in counted.items():
        print(f"{project_id}: {tasks} tasks counted")
    print(f"rebuilt the statistics of {len(counted)} project(s)", file=sys.stderr)


if __name__ == "__main__":
    main()
