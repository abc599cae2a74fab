"""What a user waits for in the app (Voila, headless Chromium), against same-run floors.

- **Voila page ready**: from navigation to the first form usable on ``01_post_interview``
  (preheated kernels, as ``make app`` serves), against the same server's page of an
  empty notebook. Target: usable within 1.5 s.
- **Save to view updated**: on ``05_share``, from the click on *Add note* to the coach
  notes view showing the note, against a widget round trip that saves nothing (asking
  to import a bundle that does not exist, until the refusal shows). Target: 300 ms.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from helpers.batch import copy_example, example_today, notebooks

PAGE_TARGET_S = 1.5
UPDATE_TARGET_S = 0.3
PAGE_REPEATS = 3
UPDATE_REPEATS = 5
REFILL_S = 12.0  # a preheated kernel is used up by each visit: time to start the next


def _empty_notebook(path: Path) -> None:
    nb = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Empty"]}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb), encoding="utf-8")


def available() -> str:
    """Why the browser benchmarks cannot run here, or "" when they can."""
    from tests.browser import find_chromium

    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    return "" if find_chromium() else "Chromium is not installed"


def run(scratch: Path, say, Result) -> list:
    from tests.browser import chromium, find_chromium, voila_app, wait_voila_done

    served = scratch / "app-notebooks"
    served.mkdir()
    for nb in notebooks():
        shutil.copy(nb, served / nb.name)
    _empty_notebook(served / "zz_empty.ipynb")
    data = copy_example(scratch / "app-workspace")
    page_result = Result("Voila page ready (vs an empty notebook's page)", "example")
    update_result = Result("save to view updated, in the browser (vs a round trip)", "example")
    with (
        voila_app(None, data, example_today(), notebooks_dir=served) as app,
        chromium(find_chromium()) as context,
    ):
        page = context.new_page()
        say(f"Voila page ready: {PAGE_REPEATS} visits each, waiting for warm kernels …")
        time.sleep(REFILL_S)
        for _ in range(PAGE_REPEATS):
            start = time.perf_counter()
            page.goto(app.url("voila/render/zz_empty.ipynb"))
            wait_voila_done(page)
            page_result.floor.append(time.perf_counter() - start)
            start = time.perf_counter()
            page.goto(app.url("voila/render/01_post_interview.ipynb"))
            page.locator(".wb-form .wb-save").first.wait_for(timeout=120_000)
            page_result.cost.append(time.perf_counter() - start)
            time.sleep(REFILL_S)
        say(f"save to view updated: {UPDATE_REPEATS} saves on 05_share …")
        page.goto(app.url("voila/render/05_share.ipynb"))
        wait_voila_done(page)
        form = page.locator(".wb-form").filter(has=page.locator(".wb-note")).first
        form.locator(".wb-application select").select_option(index=1)
        form.locator(".wb-author input").fill("Benchmark Coach")
        other = page.locator(".wb-form").filter(has=page.locator(".wb-bundle")).first
        for n in range(UPDATE_REPEATS):
            # Floor: a click, the kernel's answer and its message on the page.
            other.locator(".wb-bundle input").fill(f"/no/such/bundle-{n}.zip")
            start = time.perf_counter()
            other.locator(".wb-import-coach-notes").click()
            other.locator(".wb-status").filter(has_text=f"bundle-{n}.zip").wait_for()
            update_result.floor.append(time.perf_counter() - start)
            text = f"Benchmark note {n}"
            form.locator(".wb-note textarea").fill(text)
            start = time.perf_counter()
            form.locator(".wb-add-note").click()
            page.locator(".wb-view").filter(has_text=text).wait_for()
            update_result.cost.append(time.perf_counter() - start)
    page_result.note = f"target: usable ≤ {PAGE_TARGET_S} s; best {min(page_result.cost):.2f} s"
    update_result.note = (
        f"target: ≤ {UPDATE_TARGET_S * 1000:.0f} ms; best {min(update_result.cost) * 1000:.0f} ms"
    )
    return [page_result, update_result]
