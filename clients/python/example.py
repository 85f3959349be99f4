"""A service account's round trip with the generated client (platform_api_client):

client credentials -> list its projects -> create a task -> update it with If-Match,
then show that the same, now stale, If-Match is refused with 412 VERSION_MISMATCH.

    PLATFORM_CLIENT_ID=... PLATFORM_CLIENT_SECRET=... \\
      .venv/bin/python clients/python/example.py --base-url http://127.0.0.1:8000

The service account must be a member (editor or owner) of at least one project:
docs/api-consumers.md, "Grant it a project".
"""

import argparse
import os
from http import HTTPStatus

from platform_api_client import AuthenticatedClient, Client
from platform_api_client.api.projects import projects_list
from platform_api_client.api.service_accounts import token_issue
from platform_api_client.api.tasks import tasks_create, tasks_update
from platform_api_client.models import (
    BodyTokenIssue,
    ClientTokenResponse,
    ProjectPage,
    TaskCreate,
    TaskOut,
    TaskStatus,
    TaskUpdate,
)


def access_token(base_url: str, client_id: str, client_secret: str) -> str:
    form = BodyTokenIssue(
        grant_type="client_credentials", client_id=client_id, client_secret=client_secret
    )
    with Client(base_url=base_url) as anonymous:
        answer = token_issue.sync_detailed(client=anonymous, body=form)
    if not isinstance(answer.parsed, ClientTokenResponse):
        raise SystemExit(f"no token: {answer.status_code} {answer.content!r}")
    return answer.parsed.access_token


def main() -> None:
    parser = argparse.ArgumentParser(description="A service account's round trip")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    base_url = parser.parse_args().base_url
    token = access_token(
        base_url, os.environ["PLATFORM_CLIENT_ID"], os.environ["PLATFORM_CLIENT_SECRET"]
    )
    with AuthenticatedClient(base_url=base_url, token=token) as api:
        page = projects_list.sync(client=api, limit=10)
        if not isinstance(page, ProjectPage) or not page.items:
            raise SystemExit("this service account is a member of no project")
        project = page.items[0]
        print(f"project {project.key}: {project.name}")

        created = tasks_create.sync_detailed(
            project.id, client=api, body=TaskCreate(title="Written by the example")
        )
        if not isinstance(created.parsed, TaskOut):
            raise SystemExit(f"task not created: {created.status_code} {created.content!r}")
        task, etag = created.parsed, created.headers["ETag"]
        print(f"created task {task.id} ({etag})")

    # If-Match is one request's header: a client of its own for each conditional write
    # (`with_headers` on an open client would change that client for every later call).
    conditional = AuthenticatedClient(base_url=base_url, token=token, headers={"If-Match": etag})
    with conditional:
        started = tasks_update.sync_detailed(
            task.id, client=conditional, body=TaskUpdate(status=TaskStatus.IN_PROGRESS)
        )
        if not isinstance(started.parsed, TaskOut):
            raise SystemExit(f"update refused: {started.status_code} {started.content!r}")
        print(f"updated: status {started.parsed.status.value} ({started.headers['ETag']})")

        # The ETag read before that update is stale now: refused, and nothing changes.
        stale = tasks_update.sync_detailed(
            task.id, client=conditional, body=TaskUpdate(status=TaskStatus.DONE)
        )
        if stale.status_code != HTTPStatus.PRECONDITION_FAILED:
            raise SystemExit(f"a stale If-Match was not refused: {stale.status_code}")
        print(f"stale If-Match refused: 412 {stale.content.decode()}")


if __name__ == "__main__":
    main()
