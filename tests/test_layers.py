"""The layers of ``helpers/`` and which may import which (README, "What is where").

Every import of every module is read with ``ast``, imports inside functions included,
so a rule cannot be got round by importing late. From the bottom up:

- the **store**: the contract, CSV, validation, transactions, the profile;
- the **domain**: what the workbook knows and does, with no widgets, IPython or charts;
- **rendering**: showing things (HTML and Markdown, tables, charts, live views);
- the **form kit**: ``Form``, ``Picker``, the page's chooser, knowing no domain module;
- the **pages**: each notebook's forms and views (``*_forms``), none importing another;
- the **app**: the package itself, headless runs, working copies.

A module imports only from its own layer or below, with the exceptions listed in
:data:`EXCEPTIONS`, each saying why.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parents[1] / "helpers"

STORE = {
    "addresses",
    "businessdays",
    "csvio",
    "dates",
    "errors",
    "journal",
    "paths",
    "profile",
    "progress",
    "schema",
    "store",
    "validate",
}
# templating is the domain's: drafts and research notes (domain) render through it,
# and its filters are the domain's own (talking points, money); it shows nothing.
DOMAIN = {
    "drafts",
    "caseload",
    "english_words",
    "followup",
    "glance",
    "grammar",
    "greetings",
    "importer",
    "interviews",
    "jobdescription",
    "mail_import",
    "mail_known",
    "mail_read",
    "mail_rules",
    "overview",
    "pay",
    "pay_view",
    "pipeline",
    "proof_of_search",
    "redact",
    "reminders",
    "report",
    "research",
    "research_note",
    "research_records",
    "rule_dates",
    "rule_facts",
    "rules",
    "share",
    "standing",
    "templating",
    "thankyou",
    "withdrawals",
}
RENDERING = {"charts", "display", "escape", "html_tables", "live"}
FORM_KIT = {"formkit"}
PAGES = {
    "caseload_forms",
    "interview_forms",
    "mail_forms",
    "message_forms",
    "pipeline_forms",
    "profile_forms",
    "research_forms",
    "share_forms",
}
APP = {"__init__", "batch", "working"}
LAYERS = [STORE, DOMAIN, RENDERING, FORM_KIT, PAGES, APP]
NAMES = ["store", "domain", "rendering", "form kit", "pages", "app"]

UI = ("ipywidgets", "IPython", "matplotlib")
"""What the store and the domain never import."""

ESCAPING = {"escape", "html_tables"}
"""The part of rendering the domain may use, for the files it writes (proof of search,
the report): text escaped for HTML and Markdown, and the one HTML table renderer (pure
functions that import no widgets, IPython or charts)."""

EXCEPTIONS = {
    # The coach report is a document the domain writes (into reports/ and the bundle)
    # with the funnel and the timeline drawn in it as PNG: charts load matplotlib only
    # while drawing, so the domain still imports none of UI (see the fresh-interpreter
    # test below).
    ("report", "charts"): "the report embeds the funnel and timeline charts as PNG",
}


def layer_of(module: str) -> int:
    found = [i for i, layer in enumerate(LAYERS) if module in layer]
    assert len(found) == 1, f"helpers/{module}.py is in {len(found)} layers; place it in one"
    return found[0]


def modules() -> list[str]:
    return sorted(p.stem for p in HELPERS.glob("*.py"))


def imports(module: str) -> set[str]:
    """Every module ``helpers/<module>.py`` imports, at any depth of its code: helpers
    modules by their short name, others by their top-level package."""
    tree = ast.parse((HELPERS / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()

    def add(dotted: str, names: list[str]) -> None:
        parts = dotted.split(".")
        if parts[0] != "helpers":
            found.add(parts[0])
        elif len(parts) > 1:
            found.add(parts[1])
        else:  # from helpers import x: a module, or a name the package exports
            found.update(n if (HELPERS / f"{n}.py").exists() else "__init__" for n in names)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, [])
        elif isinstance(node, ast.ImportFrom):
            base = "helpers" if node.level else ""
            dotted = ".".join(x for x in (base, node.module or "") if x)
            add(dotted, [a.name for a in node.names])
    found.discard(module)
    return found


def helpers_imports(module: str) -> set[str]:
    return {m for m in imports(module) if (HELPERS / f"{m}.py").exists()}


def test_every_module_is_in_one_layer():
    for module in modules():
        layer_of(module)
    placed = set().union(*LAYERS)
    assert placed <= set(modules()), f"layers name modules that are gone: {placed - set(modules())}"


@pytest.mark.parametrize("module", modules())
def test_a_module_imports_only_its_layer_or_below(module):
    mine = layer_of(module)
    upward = []
    for other in sorted(helpers_imports(module)):
        theirs = layer_of(other)
        if theirs <= mine or (module, other) in EXCEPTIONS:
            continue
        if mine == layer_of("rules") and other in ESCAPING:
            continue
        upward.append(f"{other} ({NAMES[theirs]})")
    assert not upward, f"{module} ({NAMES[mine]}) imports from above: {', '.join(upward)}"


@pytest.mark.parametrize("module", sorted(STORE | DOMAIN))
def test_the_store_and_the_domain_import_no_widgets_ipython_or_matplotlib(module):
    assert not imports(module) & set(UI)


@pytest.mark.parametrize("module", sorted(STORE))
def test_the_store_imports_nothing_above_it(module):
    assert helpers_imports(module) <= STORE


def test_loading_the_store_and_the_domain_loads_no_widgets_ipython_or_matplotlib():
    """Through other helpers modules too: in a fresh interpreter, importing every store
    and domain module (the coach report and sharing included, which still import
    display) loads none of them."""
    code = (
        "import importlib, sys\n"
        f"for m in {sorted(STORE | DOMAIN)!r}:\n"
        "    importlib.import_module('helpers.' + m)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(UI)!r}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


def test_the_form_kit_imports_no_domain_or_page_module():
    for module in FORM_KIT:
        assert not helpers_imports(module) & (DOMAIN | PAGES)


@pytest.mark.parametrize("module", sorted(PAGES))
def test_no_page_module_imports_another(module):
    assert not helpers_imports(module) & PAGES


def test_the_exceptions_are_still_needed():
    """An exception that no longer happens is taken off the list."""
    for module, other in EXCEPTIONS:
        assert other in helpers_imports(module), f"{module} → {other} is gone: remove it"
