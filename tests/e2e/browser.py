"""What the browser tests do again and again: sign in, check accessibility, screenshot."""

import json

from playwright.sync_api import Page

from tests.e2e.platform_processes import ROOT
from tests.e2e.seed import ADMIN_EMAIL, ADMIN_PASSWORD

ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")


def run_axe(page: Page, context: object = None, options: dict | None = None) -> dict:
    """axe-core's result for the page (or the part `context` names), shadow roots included."""
    # Evaluated through DevTools, so the page's CSP (no inline scripts) does not block it.
    page.evaluate(f"() => {{ {AXE.read_text()}\n }}")
    # No CSSOM preload: axe would copy each cross-origin stylesheet (the fragments' own) into
    # a <style> element, which the page's strict style-src rightly blocks; only the
    # css-orientation-lock rule needs it.
    return dict(
        page.evaluate(
            "async ([context, options]) =>"
            " await window.axe.run(context ?? document, { ...options, preload: false })",
            [context, options or {}],
        )
    )


def accessibility_violations(page: Page, impacts: tuple[str, ...] | None = None) -> list[dict]:
    """axe-core's findings for the page (only those of `impacts` when given)."""
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in run_axe(page)["violations"]
        if impacts is None or v["impact"] in impacts
    ]


def serious_accessibility_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical findings for the page, shadow roots included."""
    return accessibility_violations(page, ("serious", "critical"))


def dump(value: object) -> str:
    return json.dumps(value, indent=2)
