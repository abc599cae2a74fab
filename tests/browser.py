"""Shared support for browser tests: JupyterLab (later Voila) driven by headless Chromium.

Everything here runs on loopback with a random token and temporary Jupyter folders:
nothing is written to the user's home, no ``.ipynb_checkpoints`` appear in the repo,
and the notebooks are never saved (autosave is off; tests must not save).

Typical use in a test module::

    pytestmark = pytest.mark.browser

    def test_something(request, tmp_path):
        with lab_notebook(request, "00_start_here.ipynb", data_dir=ws, today="2026-11-25") as page:
            run_all(page)
            assert "..." in output_text(page)

``lab_notebook`` starts the server and the browser, opens the notebook, waits for the
kernel, and saves a screenshot under ``test-artifacts/browser/`` when the test ends,
whether it passed or failed.

Missing Chromium or Playwright skips the test, except with ``CI=true``, where it fails:
a CI run must not pass by skipping its browser tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts" / "browser"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ENV = "WORKBOOK_CHROMIUM"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
VIEWPORT = {"width": 1280, "height": 1400}
SERVER_START_TIMEOUT = 60.0
KERNEL_TIMEOUT = 60_000  # ms, Playwright's unit
RUN_TIMEOUT = 120_000  # ms

browser = pytest.mark.browser
"""The marker every browser test carries (``pytestmark = browser`` in a module)."""

# Lab settings for a quiet, deterministic UI: no news pop-up, never save on its own,
# every cell rendered (no windowing) so text and prompts can be read from the DOM.
LAB_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


# --- what the machine must have -------------------------------------------------------


def in_ci() -> bool:
    """True when ``CI=true``: missing browser tooling is then a failure, not a skip."""
    return os.environ.get("CI", "").strip().lower() == "true"


def unavailable(reason: str, ci_reason: str) -> None:
    """Skip with ``reason``; under ``CI=true`` fail with ``ci_reason`` instead."""
    if in_ci():
        pytest.fail(ci_reason, pytrace=False)
    pytest.skip(reason)


def find_chromium() -> Path | None:
    """``$WORKBOOK_CHROMIUM`` if set, else ``/usr/bin/chromium``; None if not executable."""
    path = Path(os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM)
    return path if path.is_file() and os.access(path, os.X_OK) else None


def require_chromium() -> Path:
    """The Chromium executable, or skip the test (fail it under ``CI=true``)."""
    found = find_chromium()
    if found is None:
        where = os.environ.get(CHROMIUM_ENV) or str(DEFAULT_CHROMIUM)
        unavailable(
            f"Chromium not found at {where}; install Debian's chromium to run browser tests "
            f"(apt-get install chromium) or set {CHROMIUM_ENV}",
            f"Chromium is required when CI=true: apt-get install chromium (looked for {where})",
        )
    assert found is not None
    return found


def require_playwright() -> Any:
    """Playwright's ``sync_playwright``, or skip the test (fail it under ``CI=true``)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        unavailable(
            f"the playwright package is not installed ({exc}); "
            "pip install -e '.[test]' to run browser tests",
            "The playwright package is required when CI=true: pip install -e '.[test]' "
            f"(import failed: {exc})",
        )
        raise  # unreachable: skip and fail raise
    return sync_playwright


# --- servers ----------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def venv_executable(name: str) -> Path:
    """``name`` from the running interpreter's environment (``.venv/bin/jupyter``)."""
    return Path(sys.executable).parent / name


@dataclass
class Server:
    """A Jupyter server (Lab or Voila) running on loopback for one test."""

    port: int
    token: str
    process: subprocess.Popen[bytes]
    log_path: Path
    tmp_dir: Path
    env: dict[str, str] = field(repr=False, default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str = "", **query: str) -> str:
        """``base_url + path`` with the token (and ``query``) in the query string."""
        params = urllib.parse.urlencode({**query, "token": self.token})
        return f"{self.base_url}{path.lstrip('/')}?{params}"

    def log(self, tail: int = 12_000) -> str:
        """The server's combined stdout and stderr so far (the last ``tail`` characters)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return text[-tail:]

    def api(self, method: str, path: str, timeout: float = 5.0) -> Any:
        """Call the server's REST API; returns the decoded JSON body (None if empty)."""
        req = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None


def _wait_until_up(server: Server, ready_path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the server exited with code {server.process.returncode} before answering "
                f"on port {server.port}.\n--- server log ---\n{server.log()}"
            )
        try:
            with urllib.request.urlopen(server.url(ready_path), timeout=2) as resp:
                if resp.status == 200:
                    return
                last_error = f"HTTP {resp.status}"
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.2)
    raise RuntimeError(
        f"the server did not answer {ready_path} on port {server.port} within {timeout:.0f} s "
        f"(last error: {last_error}).\n--- server log ---\n{server.log()}"
    )


def _stop(server: Server) -> None:
    """Shut the kernels down, then the server; kill whatever does not stop in time."""
    proc = server.process
    if proc.poll() is None:
        with contextlib.suppress(Exception):
            for kernel in server.api("GET", "api/kernels") or []:
                with contextlib.suppress(Exception):
                    server.api("DELETE", f"api/kernels/{kernel['id']}", timeout=10)
        proc.terminate()  # Jupyter shuts down any kernel still running on SIGTERM
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 9)
            proc.wait(timeout=5)


def jupyter_env(
    tmp_dir: Path, data_dir: str | os.PathLike[str] | None, today: str | None
) -> dict[str, str]:
    """The environment for a Jupyter server: temporary Jupyter folders, the workspace.

    The kernel inherits it, so notebooks with empty parameters use ``data_dir`` and
    ``today`` (``WORKBOOK_DATA``, ``WORKBOOK_TODAY``).
    """
    settings = tmp_dir / "lab-settings"
    for rel, values in LAB_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    config = tmp_dir / "config"
    config.mkdir()
    (tmp_dir / "notary").mkdir()
    # Checkpoints (Lab makes one when it opens a notebook) go here, not into the repo.
    (config / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "FileContentsManager": {"checkpoints_kwargs": {"root_dir": str(tmp_dir / "cp")}},
                # Trust database and secret, otherwise in ~/.local/share/jupyter.
                "NotebookNotary": {"data_dir": str(tmp_dir / "notary")},
            }
        ),
        encoding="utf-8",
    )
    env = os.environ.copy()
    for name in ("JUPYTER_TOKEN", "JUPYTER_PASSWORD", "WORKBOOK_DATA", "WORKBOOK_TODAY"):
        env.pop(name, None)
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_dir / "lab-workspaces"),
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_RUNTIME_DIR=str(tmp_dir / "runtime"),
        IPYTHONDIR=str(tmp_dir / "ipython"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    if data_dir is not None:
        env["WORKBOOK_DATA"] = str(data_dir)
    if today is not None:
        env["WORKBOOK_TODAY"] = str(today)
    return env


@contextlib.contextmanager
def serve(
    command: Sequence[str],
    *,
    port: int,
    token: str,
    env: dict[str, str],
    tmp_dir: Path,
    ready_path: str = "api/status",
    timeout: float = SERVER_START_TIMEOUT,
) -> Iterator[Server]:
    """Run ``command`` (a server on ``port``) until the block ends; wait until it answers.

    Raises:
        RuntimeError: the server exited or did not answer in time (with its log).
    """
    log_path = tmp_dir / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            list(command),
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(
        port=port, token=token, process=proc, log_path=log_path, tmp_dir=tmp_dir, env=env
    )
    try:
        _wait_until_up(server, ready_path, timeout)
        yield server
    finally:
        _stop(server)


@contextlib.contextmanager
def jupyter_lab(
    data_dir: str | os.PathLike[str] | None = None,
    today: str | None = None,
    *,
    timeout: float = SERVER_START_TIMEOUT,
) -> Iterator[Server]:
    """JupyterLab on 127.0.0.1 (free port, random token) rooted at the repo.

    ``data_dir`` and ``today`` become ``WORKBOOK_DATA`` and ``WORKBOOK_TODAY`` for the
    server and its kernels. Stops the server and its kernels at the end.
    """
    with tempfile.TemporaryDirectory(prefix="workbook-lab-") as tmp:
        tmp_dir = Path(tmp)
        env = jupyter_env(tmp_dir, data_dir, today)
        token = secrets.token_hex(24)
        port = free_port()
        command = [
            str(venv_executable("jupyter")),
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--port-retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={REPO_ROOT}",
            "--LabApp.extension_manager=readonly",
            "--LabApp.news_url=None",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        with serve(command, port=port, token=token, env=env, tmp_dir=tmp_dir, timeout=timeout) as s:
            yield s


# --- the browser --------------------------------------------------------------------------


@contextlib.contextmanager
def chromium(executable: Path | None = None) -> Iterator[BrowserContext]:
    """Headless Chromium with a fresh profile in a temporary folder (a Playwright context)."""
    sync_playwright = require_playwright()
    exe = executable or require_chromium()
    with (
        tempfile.TemporaryDirectory(prefix="workbook-chromium-") as tmp,
        sync_playwright() as pw,
    ):
        profile = Path(tmp) / "profile"
        # Crash reports and dconf go under XDG folders, not the user's home.
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(Path(tmp) / "config"),
            "XDG_CACHE_HOME": str(Path(tmp) / "cache"),
        }
        # Playwright takes the profile folder as user_data_dir (it refuses --user-data-dir
        # in args) and passes it to Chromium as --user-data-dir.
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(exe),
            headless=True,
            args=list(CHROMIUM_ARGS),
            viewport=VIEWPORT,
            env=env,
        )
        try:
            yield context
        finally:
            context.close()


def artifact_name(request: pytest.FixtureRequest) -> str:
    """The test's name, safe as a file name (``test_x[param]`` → ``test_x-param``)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")


def screenshot(page: Page, name: str) -> Path:
    """Save a PNG of the page as ``test-artifacts/browser/<name>.png``; returns its path."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), timeout=15_000)
    return path


def screenshot_quietly(page: Page, name: str) -> Path | None:
    """:func:`screenshot`, but a failure only warns (never hides the test's own error)."""
    try:
        return screenshot(page, name)
    except Exception as exc:  # the page may have crashed; keep the original error
        warnings.warn(f"could not save the screenshot {name}.png: {exc}", stacklevel=2)
        return None


@dataclass
class Seen:
    """What an offline page tried: requests beyond its own file, errors, dialogs."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        """The requests that would leave the file and its inline data."""
        return [u for u in self.requests if not u.startswith(("file://", "data:"))]


@contextlib.contextmanager
def offline_file(path: Path, name: str) -> Iterator[tuple[Page, Seen]]:
    """A file the workbook wrote (a report), opened in Chromium with the network off
    and every request but the file itself refused and recorded; dialogs dismissed.
    Saves ``test-artifacts/browser/<name>-end.png`` at the end, also on failure."""
    require_playwright()
    exe = require_chromium()
    seen = Seen()
    with chromium(exe) as context:
        context.set_offline(True)

        def block(route):
            if route.request.url == path.as_uri():
                route.continue_()  # the file itself; anything else would be a leak
            else:
                seen.requests.append(route.request.url)
                route.abort()

        context.route("**/*", block)
        page = context.pages[0] if context.pages else context.new_page()
        page.on("request", lambda r: seen.requests.append(r.url))
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        try:
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            yield page, seen
        finally:
            screenshot_quietly(page, f"{name}-end")


# --- JupyterLab pages -----------------------------------------------------------------


def open_notebook(page: Page, lab: Server, name: str) -> None:
    """Open ``notebooks/<name>`` in Lab and wait until its kernel is idle."""
    try:  # a notebook the server cannot read only shows as a dialog in the page
        lab.api("GET", f"api/contents/notebooks/{name}", timeout=30)
    except Exception as exc:
        raise AssertionError(
            f"the server cannot open notebooks/{name}: {exc}\n--- server log ---\n{lab.log()}"
        ) from exc
    page.goto(lab.url(f"lab/tree/notebooks/{name}"), wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(
        state="attached", timeout=KERNEL_TIMEOUT
    )
    wait_kernel_idle(page)


_STATUS_TEXTS_JS = """
() => Array.from(document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem'))
    .map(el => (el.textContent || '').trim())
"""

_KERNEL_IDLE_JS = """
() => Array.from(document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem'))
    .map(el => (el.textContent || '').trim())
    .some(t => t.endsWith(' | Idle') && !t.startsWith('No Kernel'))
"""


def kernel_status(page: Page) -> list[str]:
    """The status bar's text items (one reads e.g. ``Python 3 (ipykernel) | Idle``)."""
    return page.evaluate(_STATUS_TEXTS_JS)


def wait_kernel_idle(page: Page, timeout: float = KERNEL_TIMEOUT) -> None:
    """Wait until the status bar reads ``… | Idle`` for a real kernel (not ``No Kernel``).

    The toolbar's indicator says idle before the kernel has started; the status bar
    does not.
    """
    try:
        page.wait_for_function(_KERNEL_IDLE_JS, timeout=timeout, polling=200)
    except Exception as exc:
        raise AssertionError(
            f"the kernel did not become idle within {timeout / 1000:.0f} s; "
            f"status bar: {kernel_status(page)}"
        ) from exc


def menu_command(page: Page, menu: str, item: str) -> None:
    """Click ``menu`` in Lab's menu bar, then its entry labelled exactly ``item``."""
    page.locator(
        "#jp-MainMenu .lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(menu)}$")
    ).click()
    entry = page.locator(
        ".lm-Menu .lm-Menu-item",
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")),
    )
    entry.first.click()


def clear_all_outputs(page: Page) -> None:
    """Edit ▸ Clear Outputs of All Cells: stored outputs and prompt numbers go away."""
    menu_command(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
            .every(el => !/\\[\\d+\\]/.test(el.textContent || ''))""",
        timeout=10_000,
    )


_TRACEBACK_SELECTOR = (
    ".jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
)

_PROMPTS_JS = """
() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'))
    .map(el => (el.textContent || '').trim())
"""


def prompts(page: Page) -> list[str]:
    """Every code cell's prompt, e.g. ``['[1]:', '[*]:', '[ ]:']``."""
    return page.evaluate(_PROMPTS_JS)


def wait_all_executed(page: Page, timeout: float = RUN_TIMEOUT) -> None:
    """Wait until every code cell's prompt reads ``[n]`` (no ``[*]``, no ``[ ]``).

    Fails at once when a cell raised: Run All then stops and leaves later cells ``[ ]``.
    """
    js = f"""() => {{
        const p = ({_PROMPTS_JS.strip()})();
        if (p.length > 0 && p.every(t => /^\\[\\d+\\]:?$/.test(t))) return "done";
        const failed = Array.from(document.querySelectorAll({_TRACEBACK_SELECTOR!r}))
            .some(el => (el.textContent || '').includes('Traceback'));
        if (failed && !p.some(t => t.startsWith('[*]'))) return "error";
        return false;
    }}"""
    try:
        state = page.wait_for_function(js, timeout=timeout, polling=250).json_value()
    except Exception as exc:
        raise AssertionError(
            f"not every cell ran within {timeout / 1000:.0f} s; prompts: {prompts(page)}"
        ) from exc
    if state == "error":
        raise AssertionError(
            f"a cell raised, so Run All stopped; prompts: {prompts(page)}\n"
            + "\n".join(error_outputs(page))
        )


def run_all(page: Page, *, clear: bool = True, timeout: float = RUN_TIMEOUT) -> None:
    """Run ▸ Run All Cells and wait until every code cell has run, then for idle.

    With ``clear`` (the default) the stored outputs are cleared first, so what the test
    reads afterwards was produced by this run, not saved in the notebook.
    """
    if clear:
        clear_all_outputs(page)
    menu_command(page, "Run", "Run All Cells")
    wait_all_executed(page, timeout)
    wait_kernel_idle(page)


def outputs(page: Page) -> list[str]:
    """The text of every cell output, in order."""
    return page.locator(".jp-Notebook .jp-OutputArea-output").all_text_contents()


def output_text(page: Page) -> str:
    """All cell outputs as one string."""
    return "\n".join(outputs(page))


_ERROR_TEXT = re.compile(r"Traceback|\b\w*Error\b")


def error_outputs(page: Page) -> list[str]:
    """Outputs that show an error: a traceback or an ``…Error`` on stderr or as an error."""
    found = page.locator(
        ".jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
        " .jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
    ).all_text_contents()
    return [text for text in found if _ERROR_TEXT.search(text)]


_WRITE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})


def block_contents_writes(page: Page) -> list[str]:
    """Refuse every save, rename or delete Lab asks of the server; returns what was refused.

    The list fills in as requests are refused (``"PUT /api/contents/notebooks/x.ipynb"``).
    Checkpoints (POST) stay allowed: they go to a temporary folder.
    """
    refused: list[str] = []

    def guard(route: Any) -> None:
        request = route.request
        if request.method in _WRITE_METHODS:
            refused.append(f"{request.method} {urllib.parse.urlsplit(request.url).path}")
            route.abort()
        else:
            route.continue_()

    page.route("**/api/contents/**", guard)
    return refused


@contextlib.contextmanager
def lab_notebook(
    request: pytest.FixtureRequest,
    name: str,
    *,
    data_dir: str | os.PathLike[str] | None,
    today: str | None,
    read_only: bool = True,
    requests: list[str] | None = None,
) -> Iterator[Page]:
    """Lab with ``notebooks/<name>`` open and its kernel idle, in headless Chromium.

    Saves ``test-artifacts/browser/<test name>.png`` when the block ends, also when it
    fails. Skips (fails under ``CI=true``) when Chromium or Playwright is missing.
    With ``read_only`` (the default) Lab cannot save, rename or delete any file, and
    the test fails if it tried: the notebooks in the repo stay as they are. Given a
    list as ``requests``, every URL the page requests is appended to it (from the
    first page load on).
    """
    require_playwright()
    exe = require_chromium()
    with jupyter_lab(data_dir, today) as lab, chromium(exe) as context:
        page = context.pages[0] if context.pages else context.new_page()
        if requests is not None:
            record_requests(page, requests)
        refused = block_contents_writes(page) if read_only else []
        try:
            open_notebook(page, lab, name)
            yield page
        finally:
            screenshot_quietly(page, artifact_name(request))
        assert refused == [], f"the test tried to change files through Lab: {refused}"


# --- Voila (app mode) ---------------------------------------------------------------------


@contextlib.contextmanager
def voila_app(
    notebook: str | None,
    data_dir: str | os.PathLike[str] | None = None,
    today: str | None = None,
    *,
    timeout: float = SERVER_START_TIMEOUT,
    notebooks_dir: str | os.PathLike[str] | None = None,
) -> Iterator[Server]:
    """Voila serving ``notebooks/<notebook>`` on 127.0.0.1 (free port, random token), or
    with ``notebook=None`` the whole ``notebooks/`` folder exactly as ``make app`` does
    (a list of notebooks, each at ``voila/render/<name>``). Started in the repository,
    as ``make app`` is, so Voila reads ``voila.py`` there. The workspace and today as for
    :func:`jupyter_lab`."""
    with tempfile.TemporaryDirectory(prefix="workbook-voila-") as tmp:
        tmp_dir = Path(tmp)
        env = jupyter_env(tmp_dir, data_dir, today)
        token = secrets.token_hex(24)
        port = free_port()
        command = [
            str(venv_executable("voila")),
            str(REPO_ROOT / "notebooks" / notebook)
            if notebook
            else str(notebooks_dir or "notebooks"),
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            f"--port={port}",
            f"--token={token}",
        ]
        with serve(
            command,
            port=port,
            token=token,
            env=env,
            tmp_dir=tmp_dir,
            ready_path="voila/static/voila.js",
            timeout=timeout,
        ) as server:
            yield server


@contextlib.contextmanager
def voila_page(
    request: pytest.FixtureRequest,
    notebook: str | None,
    *,
    data_dir,
    today,
    path: str = "",
    requests: list[str] | None = None,
) -> Iterator[Page]:
    """A notebook as a Voila app in headless Chromium (all cells run on load); saves
    ``test-artifacts/browser/<test name>.png`` at the end, also on failure.

    With ``notebook=None`` the server is ``make app``'s (every notebook) and the page
    is ``path`` on it (``voila/render/00_start_here.ipynb``; "" is the list). Given a
    list as ``requests``, every URL the page requests is appended to it."""
    require_playwright()
    exe = require_chromium()
    with voila_app(notebook, data_dir, today) as app, chromium(exe) as context:
        page = context.pages[0] if context.pages else context.new_page()
        if requests is not None:
            record_requests(page, requests)
        try:
            page.goto(app.url(path), timeout=RUN_TIMEOUT)
            yield page
        finally:
            screenshot_quietly(page, artifact_name(request))


_VOILA_DONE_JS = """
() => {
    const cells = document.querySelector('#rendered_cells');
    return !!cells && getComputedStyle(cells).display !== 'none'
        && !document.querySelector('#loading');
}
"""


def wait_voila_done(page: Page, timeout: float = RUN_TIMEOUT) -> None:
    """Wait until Voila has run every cell and shown the page (its spinner is gone)."""
    try:
        page.wait_for_function(_VOILA_DONE_JS, timeout=timeout, polling=250)
    except Exception as exc:
        raise AssertionError(
            f"Voila did not finish the page within {timeout / 1000:.0f} s"
        ) from exc


# --- what a page loads ----------------------------------------------------------------------

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


def record_requests(page: Page, urls: list[str]) -> list[str]:
    """Append the URL of every request ``page`` makes to ``urls`` (returned)."""
    page.on("request", lambda req: urls.append(req.url))
    return urls


def external_requests(urls: Sequence[str]) -> list[str]:
    """The URLs that leave the machine: any host but loopback (``data:``, ``blob:`` and
    ``about:`` stay in the page)."""
    found = []
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        if parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname not in {
            h.strip("[]") for h in LOCAL_HOSTS
        }:
            found.append(url)
    return sorted(set(found))


# --- the workbook's forms ----------------------------------------------------------------


def form(page: Page, title: str, timeout: float = RUN_TIMEOUT):
    """The first form on the page whose text includes ``title``, once it is visible."""
    found = page.locator(".wb-form").filter(has_text=title).first
    found.wait_for(state="visible", timeout=timeout)
    return found


def chosen(select) -> str:
    """The label of a ``select``'s chosen option, as typed (no non-breaking spaces)."""
    return select.locator("option:checked").inner_text().replace("\xa0", " ")
