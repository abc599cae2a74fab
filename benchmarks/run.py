"""``make bench``: what the workbook costs, as ratios to floors measured in the same run.

``python -m benchmarks.run`` measures, on the example workspace and on synthetic
workspaces of 1 000, 10 000 and 100 000 applications (``benchmarks.synthetic``,
cached in ``benchmarks/.cache/``):

- each notebook in ``notebooks/``, run headless with papermill, against a papermill
  run of its floor notebook: the same cells, but the first code cell imports every
  library module the real notebook's run loaded (found by a warm-up run on the
  example) and the other code cells are ``pass`` — the kernel start, the libraries
  and papermill's cost per cell, none of the workbook's work;
- ``Workspace.load_all()`` (read and validate every table) against
  ``pandas.read_csv(dtype=str, keep_default_na=False)`` of the same files;
- one form save, ``Workspace.append("applications", [one record])`` (lock, re-read,
  validate, atomic write) into a table of 10 000 and of 100 000 rows, against
  ``df.to_csv`` of that table;
- ``import helpers`` against ``import pandas``, each in fresh interpreters;
- ``06_mailbox``'s preview of a generated 1 GB mbox of 50 000 messages against
  iterating it with ``BytesHeaderParser`` alone, with the peak memory of each
  (``benchmarks.mailbench``; ``WORKBOOK_BENCH_MAIL_MB=100`` for a smaller mbox);
- ``07_caseload``'s reading of 500 client bundles (``read_caseload``: every check,
  the numbers, grouping and order) against opening each zip and reading its tables
  with pandas (``benchmarks.caseloadbench``);
- the growth of each from 1 000 to 100 000 applications: the exponent of a
  least-squares line through log(cost) against log(applications), for the total
  and for the excess over the floor.

Floor and workbook runs are interleaved and repeated; the ratio is of the fastest
runs (noise from other work on the machine only ever adds time). The table is
printed and written to ``benchmarks/results/`` as Markdown and CSV, with a chart of
cost against size (``cost_vs_size.png``); each run overwrites them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from benchmarks import synthetic
from helpers.batch import EXAMPLE_DIR, KERNEL, NOTEBOOKS_DIR, example_today, notebooks
from helpers.paths import REPO_ROOT

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results"
SIZES = (1_000, 10_000, 100_000)
EXAMPLE = "example"

# Targets, as ratios to the floor (issue 9).
NOTEBOOK_TARGET = {EXAMPLE: 1.3, 100_000: 2.0}
LOAD_TARGET = 2.0
SAVE_TARGET = 1.5
IMPORT_TARGET = 1.2
GROWTH_TARGET = 1.0

# Repeats per workspace size: the large ones cost the most and vary the least.
NOTEBOOK_REPEATS = {EXAMPLE: 6, 1_000: 4, 10_000: 3, 100_000: 3}
LOAD_REPEATS = {EXAMPLE: 30, 1_000: 20, 10_000: 10, 100_000: 4}
SAVE_REPEATS = {10_000: 8, 100_000: 4}
IMPORT_REPEATS = 40
NOTEBOOK_TIMEOUT = 900  # seconds a cell may take before the run is called failed


@dataclass
class Result:
    """One benchmark on one workspace: the floor's and the workbook's times."""

    benchmark: str
    workspace: str | int
    floor: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    target: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.floor or not self.cost:
            return None
        return min(self.cost) / min(self.floor)

    @property
    def ok(self) -> str:
        if self.target is None or self.ratio is None:
            return ""
        return "yes" if self.ratio <= self.target else "no"


class Progress:
    """Plain progress lines with the elapsed time (readable in a log and a terminal)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"[{int(elapsed // 60):2d}:{int(elapsed % 60):02d}] {message}", flush=True)


say = Progress()


# -- workspaces ------------------------------------------------------------------------


def workspace(size: int | str, seed: int) -> Path:
    """The cached workspace of ``size`` applications (the example for ``"example"``)."""
    if size == EXAMPLE:
        return EXAMPLE_DIR
    root = CACHE / f"ws-g{synthetic.GENERATOR_VERSION}-n{size}-s{seed}"
    done = root / ".complete"
    if not done.exists():
        shutil.rmtree(root, ignore_errors=True)
        say(f"generating a synthetic workspace of {size:,} applications (seed {seed}) …")
        synthetic.generate(size, seed, root, check=True, progress=lambda m: say(f"  {m}"))
        done.write_text("ok\n", encoding="utf-8")
    return root


def scratch_copy(source: Path, parent: Path) -> Path:
    """A fresh copy of a workspace (so every notebook run starts from the same files)."""
    target = parent / "ws"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock", ".complete", "TODAY"))
    return target


def label(size: int | str) -> str:
    return size if isinstance(size, str) else f"{size:,}"


# -- timing ---------------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def interleaved(result: Result, floor: Callable, cost: Callable, repeats: int) -> Result:
    """Time ``floor`` and ``cost`` alternately, after one untimed warm-up of each."""
    floor()
    cost()
    for _ in range(repeats):
        result.floor.append(timed(floor))
        result.cost.append(timed(cost))
    return result


# -- import helpers -------------------------------------------------------------------


def bench_import() -> Result:
    say(f"import helpers against import pandas, {IMPORT_REPEATS} fresh interpreters each …")

    def interpreter(module: str) -> Callable[[], None]:
        command = [sys.executable, "-c", f"import {module}"]
        return lambda: subprocess.run(command, cwd=REPO_ROOT, check=True)

    result = Result("import helpers (vs import pandas)", "-", target=IMPORT_TARGET)
    return interleaved(result, interpreter("pandas"), interpreter("helpers"), IMPORT_REPEATS)


# -- load and validate ----------------------------------------------------------------


def bench_load(size: int | str, root: Path) -> Result:
    import pandas as pd

    from helpers.schema import TABLES
    from helpers.store import Workspace

    files = [root / t.file for t in TABLES.values() if (root / t.file).exists()]
    repeats = LOAD_REPEATS[size]
    say(f"load_all() on {label(size)}: {repeats} runs against read_csv …")

    def floor() -> None:
        for path in files:
            pd.read_csv(path, dtype=str, keep_default_na=False)

    def cost() -> None:
        Workspace(root).load_all()  # a fresh Workspace: nothing remembered

    result = Result("load and validate (vs read_csv)", size, target=LOAD_TARGET)
    return interleaved(result, floor, cost, repeats)


# -- one form save --------------------------------------------------------------------


def bench_save(size: int, root: Path, scratch: Path) -> Result:
    from helpers.store import Workspace

    repeats = SAVE_REPEATS[size]
    say(f"one save into {size:,} applications: {repeats} runs against df.to_csv …")
    ws = Workspace(scratch_copy(root, scratch))
    table = ws.load("applications")  # as a notebook has, before its form saves
    plain = scratch / "plain.csv"
    count = iter(range(10**6))

    def floor() -> None:
        table.to_csv(plain, index=False)

    def cost() -> None:
        n = next(count)
        record = {
            "application_id": f"benchmark-save-{n}",
            "company": "Benchmark Co",
            "role": "Data Analyst",
            "stage": "applied",
            "applied_on": "2026-11-25",
        }
        ws.append("applications", [record])

    result = Result("one form save (vs df.to_csv)", size, target=SAVE_TARGET)
    result = interleaved(result, floor, cost, repeats)
    result.note = "append: lock, re-read, validate, write and fsync; to_csv: write only"
    return result


# -- notebooks ------------------------------------------------------------------------


def _cells(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cell(source: str, tags: list[str] | None = None) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": f"bench-{abs(hash(source)) % 10**8}",
        "metadata": {"tags": tags or []},
        "outputs": [],
        "source": source,
    }


def with_module_list(nb_path: Path, target: Path, modules_file: Path) -> Path:
    """A copy of the notebook that ends by writing the names of every loaded module."""
    nb = _cells(nb_path)
    nb["cells"].append(
        _code_cell(
            "import json as _json, sys as _sys\n"
            f"_json.dump(list(_sys.modules), open({str(modules_file)!r}, 'w'))\n"
        )
    )
    target.write_text(json.dumps(nb), encoding="utf-8")
    return target


SKIP_MODULES = ("__main__", "helpers", "this", "antigravity", "benchmarks")


def floor_notebook(nb_path: Path, modules: list[str], target: Path) -> Path:
    """The floor: the notebook with the same cells, but its first code cell imports every
    library module the notebook's run loaded (the workbook's own ``helpers`` left out),
    the parameters cell stays, and every other code cell is ``pass`` — the kernel
    start, the libraries and papermill's cost per cell, none of the workbook's work."""
    nb = _cells(nb_path)
    names = [m for m in modules if m.split(".")[0] not in SKIP_MODULES]
    imports = (
        "import importlib\n"
        f"for _name in {names!r}:\n"
        "    try:\n"
        "        importlib.import_module(_name)\n"
        "    except Exception:\n"
        "        pass\n"
    )
    first = True
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "parameters" in cell["metadata"].get("tags", []):
            continue
        cell["source"] = imports if first else "pass"
        cell["outputs"], cell["execution_count"], first = [], None, False
    target.write_text(json.dumps(nb), encoding="utf-8")
    return target


def papermill_run(nb: Path, out: Path, data_dir: Path, today: str) -> None:
    """Execute a notebook; the kernel's own messages on stderr go to a log beside it."""
    import papermill

    saved = os.dup(2)
    with open(out.parent / "kernel-stderr.log", "ab") as log:
        os.dup2(log.fileno(), 2)
        try:
            papermill.execute_notebook(
                str(nb),
                str(out),
                parameters={"data_dir": str(data_dir), "today": today, "application_id": ""},
                kernel_name=KERNEL,
                cwd=str(NOTEBOOKS_DIR),
                progress_bar=False,
                log_output=False,
                execution_timeout=NOTEBOOK_TIMEOUT,
            )
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def bench_notebooks(sizes: list[int | str], seed: int, scratch: Path) -> list[Result]:
    today = example_today()
    found = notebooks()
    say(f"notebooks: {', '.join(nb.stem for nb in found)} on {', '.join(map(label, sizes))}")
    results = []
    for nb_path in found:
        work = scratch / nb_path.stem
        work.mkdir(parents=True, exist_ok=True)
        out = work / "out.ipynb"
        # Warm-up run on the example: also lists the modules the floor imports.
        modules_file = work / "modules.json"
        probe = with_module_list(nb_path, work / "probe.ipynb", modules_file)
        say(f"{nb_path.stem}: warm-up run on the example (lists its libraries) …")
        try:
            papermill_run(probe, out, scratch_copy(EXAMPLE_DIR, work), today)
        except Exception as err:  # a notebook that fails on the example is reported
            failed = Result(f"notebook {nb_path.stem}", EXAMPLE)
            failed.note = f"failed: {type(err).__name__}: {str(err)[:120]}"
            say(f"{nb_path.stem}: FAILED on the example; skipped ({failed.note})")
            results.append(failed)
            continue
        modules = json.loads(modules_file.read_text(encoding="utf-8"))
        floor_nb = floor_notebook(nb_path, modules, work / "floor.ipynb")
        papermill_run(floor_nb, out, scratch_copy(EXAMPLE_DIR, work), today)  # warm-up
        floor_times: list[float] = []
        per_size = {size: Result(f"notebook {nb_path.stem}", size) for size in sizes}
        for size, result in per_size.items():
            result.target = NOTEBOOK_TARGET.get(size)
        rounds = max(NOTEBOOK_REPEATS[size] for size in sizes)
        for round_ in range(rounds):
            data = scratch_copy(EXAMPLE_DIR, work)
            floor_times.append(timed(partial(papermill_run, floor_nb, out, data, today)))
            for size in sizes:
                if round_ >= NOTEBOOK_REPEATS[size]:
                    continue
                data = scratch_copy(workspace(size, seed), work)
                try:
                    took = timed(partial(papermill_run, nb_path, out, data, today))
                except Exception as err:  # a failing notebook is a result too
                    per_size[size].note = f"failed: {type(err).__name__}: {str(err)[:120]}"
                    say(f"{nb_path.stem} on {label(size)}: FAILED ({per_size[size].note})")
                    continue
                per_size[size].cost.append(took)
                say(
                    f"{nb_path.stem} on {label(size)}: {took:.1f} s "
                    f"(floor {min(floor_times):.1f} s)"
                )
        for result in per_size.values():
            result.floor = list(floor_times)
            results.append(result)
        shutil.rmtree(work, ignore_errors=True)
    return results


# -- growth ---------------------------------------------------------------------------


def exponent(points: list[tuple[int, float]]) -> float | None:
    """The slope of log(cost) against log(size), least squares."""
    points = [(n, c) for n, c in points if c > 0]
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(c) for _, c in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else None


def growth(results: list[Result]) -> list[dict]:
    rows = []
    by_benchmark: dict[str, list[Result]] = {}
    for r in results:
        if isinstance(r.workspace, int) and r.cost:
            by_benchmark.setdefault(r.benchmark, []).append(r)
    for benchmark, rs in by_benchmark.items():
        total = exponent([(r.workspace, min(r.cost)) for r in rs])
        excess = exponent([(r.workspace, min(r.cost) - min(r.floor)) for r in rs if r.floor])
        sizes = sorted(r.workspace for r in rs)
        rows.append(
            {
                "benchmark": benchmark,
                "sizes": f"{sizes[0]:,}–{sizes[-1]:,}",
                "total": total,
                "excess": excess,
                "ok": "" if excess is None else ("yes" if excess <= GROWTH_TARGET + 0.1 else "no"),
            }
        )
    return rows


# -- reporting ------------------------------------------------------------------------


def fmt(x: float | None, digits: int = 3) -> str:
    if x is None:
        return ""
    return f"{x:.{digits}f}" if x < 10 else f"{x:.1f}"


def table_rows(results: list[Result]) -> list[list[str]]:
    rows = []
    for r in results:
        rows.append(
            [
                r.benchmark,
                label(r.workspace),
                fmt(min(r.floor)) if r.floor else "",
                fmt(min(r.cost)) if r.cost else "",
                f"{r.ratio:.2f}×" if r.ratio is not None else "",
                f"≤ {r.target}×" if r.target is not None else "",
                r.ok,
                str(min(len(r.floor), len(r.cost)) if r.cost else 0),
                r.note,
            ]
        )
    return rows


HEADER = ["benchmark", "workspace", "floor (s)", "workbook (s)", "ratio", "target", "ok", "runs"]


def markdown(results: list[Result], growth_rows: list[dict], meta: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Run {meta['when']} on {meta['machine']}; load average at the start "
        f"{meta['load']}. Times are the fastest of the runs, in seconds; the ratio is "
        "workbook / floor. Written by `make bench` (`python -m benchmarks.run`).",
        "",
        "| " + " | ".join([*HEADER, "note"]) + " |",
        "| " + " | ".join(["---"] * (len(HEADER) + 1)) + " |",
    ]
    for row in table_rows(results):
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |")
    lines += [
        "",
        "Growth from 1,000 to 100,000 applications: the fitted exponent of cost against "
        "size (1 = linear), for the total time and for the excess over the floor "
        "(target: the excess grows no worse than linearly; 0.1 is allowed for noise).",
        "",
        "| benchmark | sizes | exponent (total) | exponent (excess) | ok |",
        "| --- | --- | --- | --- | --- |",
    ]
    for g in growth_rows:
        lines.append(
            f"| {g['benchmark']} | {g['sizes']} | {fmt(g['total'], 2)} | "
            f"{fmt(g['excess'], 2)} | {g['ok']} |"
        )
    return "\n".join(lines) + "\n"


def write_csv(results: list[Result], growth_rows: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "benchmark",
                "workspace",
                "floor_min_s",
                "floor_median_s",
                "workbook_min_s",
                "workbook_median_s",
                "ratio",
                "target",
                "ok",
                "runs",
                "note",
            ]
        )
        for r in results:
            w.writerow(
                [
                    r.benchmark,
                    r.workspace,
                    f"{min(r.floor):.4f}" if r.floor else "",
                    f"{statistics.median(r.floor):.4f}" if r.floor else "",
                    f"{min(r.cost):.4f}" if r.cost else "",
                    f"{statistics.median(r.cost):.4f}" if r.cost else "",
                    f"{r.ratio:.3f}" if r.ratio is not None else "",
                    r.target if r.target is not None else "",
                    r.ok,
                    len(r.cost),
                    r.note,
                ]
            )
        for g in growth_rows:
            w.writerow(
                [
                    f"growth: {g['benchmark']}",
                    g["sizes"],
                    "",
                    "",
                    "",
                    "",
                    f"{g['excess']:.3f}" if g["excess"] is not None else "",
                    GROWTH_TARGET,
                    g["ok"],
                    "",
                    f"exponent of the total: {fmt(g['total'], 2)}; ratio column: excess",
                ]
            )


def chart(results: list[Result], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series: dict[str, list[Result]] = {}
    for r in results:
        if isinstance(r.workspace, int) and r.cost:
            series.setdefault(r.benchmark, []).append(r)
    fig, ax = plt.subplots(figsize=(9, 5.5))
    for benchmark, rs in series.items():
        rs = sorted(rs, key=lambda r: r.workspace)
        xs = [r.workspace for r in rs]
        (line,) = ax.plot(xs, [min(r.cost) for r in rs], marker="o", label=benchmark)
        if all(r.floor for r in rs):
            ax.plot(
                xs,
                [min(r.floor) for r in rs],
                linestyle=":",
                color=line.get_color(),
                alpha=0.6,
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("applications in the workspace")
    ax.set_ylabel("seconds (fastest run); dotted: the floor")
    ax.set_title("Cost against workspace size", loc="left")
    ax.grid(True, which="both", alpha=0.3)
    if series:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def print_table(results: list[Result], growth_rows: list[dict]) -> None:
    rows = [HEADER, *[row[: len(HEADER)] for row in table_rows(results)]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    print()
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print("\ngrowth, 1,000 → 100,000 applications (exponent; 1 = linear):")
    for g in growth_rows:
        print(
            f"  {g['benchmark']:<40s} total {fmt(g['total'], 2):>5s}   "
            f"excess over the floor {fmt(g['excess'], 2):>5s}   {g['ok']}"
        )
    for r in results:
        if r.note.startswith("failed"):
            print(f"  ! {r.benchmark} on {label(r.workspace)}: {r.note}")


# -- main -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="synthetic workspace sizes, comma-separated (default: 1000,10000,100000)",
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument(
        "--only",
        default="import,load,save,notebooks,mail,caseload,browser",
        help="which benchmarks, comma-separated (default: all)",
    )
    parser.add_argument("--out", default=str(RESULTS), help="results folder")
    args = parser.parse_args(argv)
    sizes: list[int] = [int(s) for s in args.sizes.split(",") if s.strip()]
    only = {s.strip() for s in args.only.split(",")}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    meta = {
        "when": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {importlib.import_module('pandas').__version__}",
        "load": ", ".join(f"{x:.2f}" if isinstance(x, float) else x for x in load),
    }
    say(f"benchmarks on {meta['machine']}; load average {meta['load']}")
    roots = {size: workspace(size, args.seed) for size in sizes}
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as tmp:
        scratch = Path(tmp)
        if "import" in only:
            results.append(bench_import())
        if "load" in only:
            for size in [EXAMPLE, *sizes]:
                results.append(bench_load(size, roots.get(size, EXAMPLE_DIR)))
        if "save" in only:
            for size in [s for s in sizes if s in SAVE_REPEATS]:
                results.append(bench_save(size, roots[size], scratch))
        if "notebooks" in only:
            results += bench_notebooks([EXAMPLE, *sizes], args.seed, scratch)
        if "mail" in only:
            from benchmarks import mailbench

            results += mailbench.run(scratch, say, Result)
        if "caseload" in only:
            from benchmarks import caseloadbench

            results += caseloadbench.run(scratch, say, Result)
        if "browser" in only:
            from benchmarks import browser

            missing = browser.available()
            if missing:
                say(f"browser benchmarks skipped: {missing}")
            else:
                results += browser.run(scratch, say, Result)
    growth_rows = growth(results)
    print_table(results, growth_rows)
    (out / "results.md").write_text(markdown(results, growth_rows, meta), encoding="utf-8")
    write_csv(results, growth_rows, out / "results.csv")
    chart(results, out / "cost_vs_size.png")
    say(f"wrote {out / 'results.md'}, results.csv and cost_vs_size.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
