"""Lighthouse mobile performance of the signed-in pages: /projects/{id}, /projects, /dashboard.

    make bench-lighthouse     (or: .venv/bin/python -m bench.lighthouse_bench --runs 3)

Starts the whole platform the way the browser tests do (tests/e2e/platform_processes.py: the
same `python -m` commands as `make run`, on free ports, over a throw-away store), publishes
the fragments and seeds an admin and a project through the API, then adds tasks until the
project holds --tasks of them. Debian's Chromium is launched by Playwright with a DevTools
port, and before each run the admin signs in on /login in that browser's default profile
(cookies cleared first): the refresh and `farm_session` cookies live there, so the page
Lighthouse opens in the same browser signs itself in as it would for a returning user (the
access token is held in memory only, so no header Lighthouse could send would do). Lighthouse (pinned below, installed into .local/tools
on first use; no browser download) then audits each page --runs times with its default
mobile settings (Moto G Power screen, simulated slow 4G and 4x CPU slowdown) and storage
kept, and the median run per page is printed: performance score, FCP, LCP, TBT and CLS.

Lighthouse's simulated throttling computes the timings from the page's own dependency
graph, so they move less with the machine's load than wall-clock timings do; the load
average is printed with the figures all the same.
"""

import argparse
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, sync_playwright

from bench.support import ROOT, free_port, store
from tests.e2e.platform_processes import Platform, start_platform
from tests.e2e.seed import ADMIN_EMAIL, ADMIN_PASSWORD, Seeded, seed
from tests.support.chromium import CHROMIUM

LIGHTHOUSE_VERSION = "12.2.3"  # 12.3+ lock files trip npm ci here, and 13 wants Node 22
LIGHTHOUSE_DIR = ROOT / f".local/tools/lighthouse-{LIGHTHOUSE_VERSION}"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules/.bin/lighthouse"
# As the browser tests run Chromium, in the new headless mode Lighthouse expects.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STATUSES = ("todo", "in_progress", "done", "cancelled")
PRIORITIES = ("low", "medium", "high", "urgent")
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
}


@dataclass
class Run:
    score: int
    metrics: dict[str, float]

    def line(self) -> str:
        fcp, lcp, tbt, cls = (self.metrics[name] for name in METRICS)
        return (
            f"score {self.score:3d}   FCP {fcp / 1000:4.1f} s   LCP {lcp / 1000:4.1f} s   "
            f"TBT {tbt:5.0f} ms   CLS {cls:.3f}"
        )


def install_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR} ...", flush=True)
    package = f"lighthouse@{LIGHTHOUSE_VERSION}"
    npm_flags = ["--save-exact", "--no-fund", "--no-audit"]
    subprocess.run(
        ["npm", "install", "--prefix", str(LIGHTHOUSE_DIR), *npm_flags, package], check=True
    )


def add_tasks(platform: Platform, seeded: Seeded, total: int) -> None:
    """Tasks across the four columns, with priorities, labels and due dates, up to `total`."""
    with platform.api(seeded.admin_token) as api:
        for n in range(len(seeded.task_ids), total):
            created = api.post(
                f"/api/core/projects/{seeded.project_id}/tasks",
                json={
                    "title": f"Bench task {n}: check the release notes of component {n % 17}",
                    "priority": PRIORITIES[n % len(PRIORITIES)],
                    "labels": ["bench", f"area-{n % 5}"],
                    "due": f"2030-{1 + n % 12:02d}-{1 + n % 28:02d}",
                },
            )
            created.raise_for_status()
            if (status := STATUSES[n % len(STATUSES)]) != "todo":
                task_id = created.json()["id"]
                api.patch(f"/api/core/tasks/{task_id}", json={"status": status}).raise_for_status()


def lighthouse(url: str, port: int, report: Path) -> Run:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--port={port}",
            "--only-categories=performance",
            # Keeps the session cookies the sign-in left in the profile.
            "--disable-storage-reset",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ],
        check=True,
        env=os.environ | {"CHROME_PATH": CHROMIUM},
    )
    result = json.loads(report.read_text())
    if result.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {result['runtimeError']}")
    if result["finalDisplayedUrl"] != url:
        raise RuntimeError(f"lighthouse on {url} ended on {result['finalDisplayedUrl']}")
    audits = result["audits"]
    return Run(
        score=round(result["categories"]["performance"]["score"] * 100),
        metrics={name: audits[audit]["numericValue"] for name, audit in METRICS.items()},
    )


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.score)[len(runs) // 2]


def sign_in(context: BrowserContext, page: Page) -> None:
    """A session of its own for each run: cookies cleared, signed in on /login, then the tab
    left on a blank page so that only Lighthouse's tab uses the session."""
    context.clear_cookies()
    page.goto("/login")
    page.get_by_label("E-mail").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")
    page.goto("about:blank")


def measure(platform: Platform, pages: dict[str, str], runs: int, workdir: Path) -> None:
    port = free_port()
    with sync_playwright() as playwright:
        # The default profile (a persistent context), where Lighthouse opens its tabs too.
        context = playwright.chromium.launch_persistent_context(
            str(workdir / "profile"),
            executable_path=CHROMIUM,
            headless=False,
            args=[*CHROMIUM_FLAGS, f"--remote-debugging-port={port}"],
            base_url=platform.url,
        )
        try:
            page = context.new_page()
            for name, path in pages.items():
                results = []
                report = workdir / f"{name.strip('/').replace('/{id}', '-board')}.json"
                for n in range(runs):
                    sign_in(context, page)
                    results.append(lighthouse(platform.url + path, port, report))
                    print(f"  {name:<16} run {n + 1}: {results[-1].line()}", flush=True)
                scores = ", ".join(str(run.score) for run in results)
                print(f"{name:<16} median: {median_run(results).line()}   (scores {scores})")
                print(f"  load average now: {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--tasks", type=int, default=200, help="tasks in the measured project")
    parser.add_argument("--keep-reports", help="copy the last JSON report of each page here")
    args = parser.parse_args()
    install_lighthouse()
    print(f"Load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    with store() as uri, tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as folder:
        workdir = Path(folder)
        platform = start_platform(uri, workdir)
        try:
            seeded = seed(platform)
            add_tasks(platform, seeded, args.tasks)
            pages = {
                "/projects/{id}": f"/projects/{seeded.project_id}",
                "/projects": "/projects",
                "/dashboard": "/dashboard",
            }
            measure(platform, pages, args.runs, workdir)
            if args.keep_reports:
                Path(args.keep_reports).mkdir(parents=True, exist_ok=True)
                for report in workdir.glob("*.json"):
                    shutil.copy(report, args.keep_reports)
        finally:
            platform.stop()


if __name__ == "__main__":
    main()
