"""The projects fragment as its users work in it, in Chromium, against every real process:
projects and tasks made in the UI, tasks moved three ways, another member's changes live,
stale edits resolved in the conflict dialog, and the same flow on a phone-sized screen."""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.browser import dump, screenshot, serious_accessibility_violations, sign_in
from tests.e2e.platform_processes import Platform
from tests.e2e.seed import ADMIN_PASSWORD, Seeded
from tests.e2e.seed import sign_in as api_sign_in

CONFLICT_TITLE = "This task was changed by someone else"


@dataclass
class User:
    email: str
    id: str
    token: str


def new_user(platform: Platform, name: str) -> User:
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@e2e.example"
    with platform.api() as api:
        registered = api.post(
            "/api/auth/register",
            json={"email": email, "password": ADMIN_PASSWORD, "full_name": name},
        )
        registered.raise_for_status()
    return User(email, registered.json()["id"], api_sign_in(platform, email, ADMIN_PASSWORD))


def unique_key() -> str:
    """Project keys are unique across the platform, and tests share one."""
    return f"K{uuid.uuid4().hex[:6].upper()}"


def project_of(platform: Platform, owner: User, name: str, *editors: User) -> str:
    with platform.api(owner.token) as api:
        created = api.post("/api/core/projects", json={"name": name, "key": unique_key()})
        created.raise_for_status()
        project_id = str(created.json()["id"])
        for editor in editors:
            api.put(
                f"/api/core/projects/{project_id}/members/{editor.id}", json={"role": "editor"}
            ).raise_for_status()
    return project_id


def task_of(platform: Platform, user: User, project_id: str, title: str) -> str:
    with platform.api(user.token) as api:
        created = api.post(f"/api/core/projects/{project_id}/tasks", json={"title": title})
        created.raise_for_status()
        return str(created.json()["id"])


def change_task(platform: Platform, user: User, task_id: str, **fields: object) -> dict:
    with platform.api(user.token) as api:
        changed = api.patch(f"/api/core/tasks/{task_id}", json=fields)
        changed.raise_for_status()
        return dict(changed.json())


def read_task(platform: Platform, user: User, task_id: str) -> dict:
    with platform.api(user.token) as api:
        return dict(api.get(f"/api/core/tasks/{task_id}").json())


def column(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name=re.compile(rf"^{name} \d+$"))


def card(page: Page, title: str) -> Locator:
    return page.locator("article.card", has=page.get_by_role("link", name=title, exact=True))


WIDER_THAN_VIEWPORT = """(width) => {
  const wide = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll("*")) {
      if (element.getBoundingClientRect().right > width + 0.5) {
        wide.push(`${element.tagName.toLowerCase()}.${element.className} ${element.getBoundingClientRect().right}`);
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  return wide.slice(0, 10);
}"""


def fits_the_screen(page: Page) -> None:
    """No horizontal page scroll: what is wider scrolls inside its own container."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], page.evaluate(
        WIDER_THAN_VIEWPORT, page.viewport_size["width"]
    )


def no_accessibility_violations(page: Page) -> None:
    violations = serious_accessibility_violations(page)
    assert violations == [], dump(violations)


@pytest.fixture
def second_page(browser: Browser, platform: Platform) -> Iterator[Page]:
    """Another person's browser: its own context, so its own session."""
    context = browser.new_context(base_url=platform.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_member_creates_a_project_and_a_task_moves_it_three_ways_and_edits_it(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    ada = new_user(platform, "Ada Owner")
    sign_in(page, ada.email, ADMIN_PASSWORD)
    page.goto("/projects")
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    page.get_by_role("button", name="Create your first project").click()
    dialog = page.get_by_role("dialog", name="New project")
    dialog.get_by_label("Name").fill("Launch plan")
    expect(dialog.get_by_label("Key")).to_have_value("LP")
    dialog.get_by_label("Key").fill(unique_key())
    dialog.get_by_label("Description").fill("Everything for the spring launch")
    dialog.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"/projects/[0-9a-f]{24}$"))
    expect(page.get_by_role("heading", name="Launch plan")).to_be_visible()
    expect(page.get_by_text("No tasks in this project yet.")).to_be_visible()

    page.get_by_role("button", name="New task").first.click()
    dialog = page.get_by_role("dialog", name="New task")
    dialog.get_by_label("Title").fill("Write the brief")
    dialog.get_by_label("Priority").select_option("high")
    dialog.get_by_role("button", name="Create").click()
    brief = card(page, "Write the brief")
    expect(column(page, "To do").locator(brief)).to_be_visible()

    brief.get_by_label("Status", exact=True).select_option("in_progress")
    expect(column(page, "In progress").locator(brief)).to_be_visible()

    brief.drag_to(column(page, "Done"))
    expect(column(page, "Done").locator(brief)).to_be_visible()
    expect(brief.get_by_label("Status", exact=True)).to_have_value("done")

    brief.get_by_role("link", name="Write the brief").focus()
    page.keyboard.press("Alt+ArrowLeft")
    expect(column(page, "In progress").locator(brief)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="moved to In progress")).to_have_count(1)
    expect(brief.get_by_role("link", name="Write the brief")).to_be_focused()

    brief.get_by_role("link", name="Write the brief").click()
    page.wait_for_url(re.compile(r"/projects/[0-9a-f]{24}/tasks/[0-9a-f]{24}$"))
    detail = page.get_by_role("dialog", name="Task details")
    detail.get_by_label("Title").fill("Write the launch brief")
    detail.get_by_label("Labels (comma-separated)").fill("docs, launch")
    detail.get_by_label("Due date").fill("2030-04-01")
    # The card shows the change at once (optimistic); the reload below needs it saved.
    with page.expect_response(
        lambda answer: answer.request.method == "PATCH" and "/api/core/tasks/" in answer.url
    ) as saved:
        detail.get_by_role("button", name="Save").click()
    assert saved.value.ok
    expect(card(page, "Write the launch brief")).to_contain_text("launch")
    expect(detail.get_by_label("Title")).to_have_value("Write the launch brief")
    # The panel is deep-linkable: a reload opens the same task.
    page.reload()
    expect(page.get_by_role("dialog", name="Task details").get_by_label("Title")).to_have_value(
        "Write the launch brief"
    )
    page.get_by_role("dialog", name="Task details").get_by_role("button", name="Close").click()

    for title in ("Book the venue", "Draft the press release", "Invite the partners"):
        page.get_by_role("button", name="New task").click()
        page.get_by_role("dialog", name="New task").get_by_label("Title").fill(title)
        page.get_by_role("dialog", name="New task").get_by_role("button", name="Create").click()
        expect(card(page, title)).to_be_visible()
    # A move the API refuses (a cancelled task must be reopened first) is undone and explained.
    press = card(page, "Draft the press release")
    press.get_by_label("Status", exact=True).select_option("cancelled")
    expect(column(page, "Cancelled").locator(press)).to_be_visible()
    press.get_by_label("Status", exact=True).select_option("done")
    refusal = page.get_by_role("alert").filter(has_text="INVALID_TRANSITION")
    expect(refusal).to_contain_text("Request")
    expect(column(page, "Cancelled").locator(press)).to_be_visible()
    expect(press.get_by_label("Status", exact=True)).to_have_value("cancelled")
    refusal.get_by_role("button", name="Dismiss").click()
    no_accessibility_violations(page)
    screenshot(page, "projects-board")

    page.get_by_role("navigation", name="Views").get_by_role("link", name="List").click()
    expect(page).to_have_url(re.compile(r"\?view=list$"))
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(5)
    page.get_by_label("Search tasks").fill("venue")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"view=list&q=venue$"))
    page.get_by_label("Search tasks").fill("")
    # Several selected tasks change status in one bulk call.
    table.get_by_label('Select "Book the venue"').check()
    table.get_by_label('Select "Invite the partners"').check()
    page.get_by_label("New status").select_option("in_progress")
    page.get_by_role("button", name="Apply to selected").click()
    for title in ("Book the venue", "Invite the partners"):
        row = table.get_by_role("row").filter(has=page.get_by_role("link", name=title))
        expect(row.get_by_label("Status", exact=True)).to_have_value("in_progress")
    page.get_by_role("button", name="Priority").click()
    no_accessibility_violations(page)
    screenshot(page, "projects-list")


def test_another_members_change_shows_live_and_stale_edits_are_resolved(
    page: Page, second_page: Page, platform: Platform, seeded: Seeded
) -> None:
    ada = new_user(platform, "Ada Owner")
    bo = new_user(platform, "Bo Editor")
    project_id = project_of(platform, ada, "Shared work", bo)
    task_id = task_of(platform, ada, project_id, "Plan the sprint")

    sign_in(page, ada.email, ADMIN_PASSWORD)
    page.goto(f"/projects/{project_id}")
    expect(card(page, "Plan the sprint")).to_be_visible()
    expect(page.locator(".live")).to_contain_text("Live")
    page.evaluate("window.__sameDocument = true")

    sign_in(second_page, bo.email, ADMIN_PASSWORD)
    second_page.goto(f"/projects/{project_id}")
    card(second_page, "Plan the sprint").get_by_label("Status", exact=True).select_option(
        "in_progress"
    )
    expect(column(page, "In progress").locator(card(page, "Plan the sprint"))).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"

    # Keep theirs: my edit is dropped, their version stays.
    detail = open_detail(page, "Plan the sprint")
    detail.get_by_label("Title").fill("Plan sprint 12 (mine)")
    change_task(platform, bo, task_id, title="Plan sprint 12 (theirs)", priority="high")
    # A field I did not touch follows their change while I edit.
    expect(detail.get_by_label("Priority")).to_have_value("high")
    detail.get_by_role("button", name="Save").click()
    conflict = page.get_by_role("dialog", name=CONFLICT_TITLE)
    expect(conflict.get_by_role("group", name=re.compile("^Title"))).to_contain_text(
        "Plan sprint 12 (theirs)"
    )
    expect(conflict.get_by_role("group", name=re.compile("^Title"))).to_contain_text(
        "Plan sprint 12 (mine)"
    )
    no_accessibility_violations(page)
    screenshot(page, "projects-conflict")
    conflict.get_by_role("button", name="Keep theirs").click()
    expect(conflict).to_be_hidden()
    assert read_task(platform, ada, task_id)["title"] == "Plan sprint 12 (theirs)"
    expect(page.get_by_role("dialog", name="Task details").get_by_label("Title")).to_have_value(
        "Plan sprint 12 (theirs)"
    )

    # Overwrite with mine: my version of every differing field is sent on top of theirs.
    detail = page.get_by_role("dialog", name="Task details")
    detail.get_by_label("Title").fill("Sprint 12: mine wins")
    change_task(platform, bo, task_id, title="Sprint 12: theirs")
    detail.get_by_role("button", name="Save").click()
    page.get_by_role("dialog", name=CONFLICT_TITLE).get_by_role(
        "button", name="Overwrite with mine"
    ).click()
    expect(detail.get_by_label("Title")).to_have_value("Sprint 12: mine wins")
    assert read_task(platform, ada, task_id)["title"] == "Sprint 12: mine wins"

    # Merge: field by field; their title, my description, their priority (only they changed it).
    detail.get_by_label("Title").fill("Sprint 12 merged (mine)")
    detail.get_by_label("Description").fill("Goals and owners")
    change_task(platform, bo, task_id, title="Sprint 12 merged (theirs)", priority="urgent")
    detail.get_by_role("button", name="Save").click()
    conflict = page.get_by_role("dialog", name=CONFLICT_TITLE)
    conflict.get_by_role("group", name=re.compile("^Title")).get_by_label("Theirs").check()
    conflict.get_by_role("button", name="Merge").click()
    expect(conflict).to_be_hidden()
    expect(detail.get_by_label("Description")).to_have_value("Goals and owners")
    merged = read_task(platform, ada, task_id)
    assert (merged["title"], merged["description"], merged["priority"]) == (
        "Sprint 12 merged (theirs)",
        "Goals and owners",
        "urgent",
    )
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"


def open_detail(page: Page, title: str) -> Locator:
    card(page, title).get_by_role("link", name=title).click()
    return page.get_by_role("dialog", name="Task details")


def test_the_board_works_on_a_phone_sized_screen(
    browser: Browser, platform: Platform, seeded: Seeded
) -> None:
    ada = new_user(platform, "Ada Owner")
    project_id = project_of(platform, ada, "Phone project")
    for title in ("Call the printer", "Order the banners"):
        task_of(platform, ada, project_id, title)
    context = browser.new_context(
        base_url=platform.url, viewport={"width": 375, "height": 800}, is_mobile=True
    )
    context.set_default_timeout(15_000)
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(phone, ada.email, ADMIN_PASSWORD)
        phone.goto("/projects")
        expect(phone.get_by_role("link", name="Phone project")).to_be_visible()
        fits_the_screen(phone)
        no_accessibility_violations(phone)

        phone.get_by_role("link", name="Phone project").click()
        phone.get_by_role("button", name="New task").click()
        dialog = phone.get_by_role("dialog", name="New task")
        dialog.get_by_label("Title").fill("Check the layout on a phone")
        dialog.get_by_role("button", name="Create").click()
        new = card(phone, "Check the layout on a phone")
        new.get_by_label("Status", exact=True).select_option("in_progress")
        expect(column(phone, "In progress").locator(new)).to_be_attached()
        # The board scrolls sideways inside itself to the card's column; the page does not.
        new.scroll_into_view_if_needed()
        fits_the_screen(phone)
        no_accessibility_violations(phone)
        screenshot(phone, "projects-phone")

        phone.get_by_role("navigation", name="Views").get_by_role("link", name="List").click()
        expect(phone.get_by_role("table")).to_be_visible()
        fits_the_screen(phone)
        no_accessibility_violations(phone)
    finally:
        context.close()
    assert errors == []
