"""How fast the course answers: prints a table of measurements (`make bench`). Not a test.

For each interactive figure (every ``FigureApp`` subclass in a ``utils.fig_*`` module):

* kernel side: the time from a control change to the updated figure, i.e. the callbacks plus the picture
  the browser gets (ipympl: Agg render + PNG of the changed pixels), median and 95th percentile over many
  changes of every control (and clicks where the figure takes clicks); and the play rate (steps per
  second with every step rendered). When ``scripts/bench_figures.py`` has a ``bench_<name>`` function for
  ``utils/fig_<name>.py``, its measurements are used for that figure (its detailed output is printed too);
* in the browser (JupyterLab + headless Chromium, as in the end-to-end tests): the time from an input
  event (click, key, select) to the first changed picture on the canvas, median and 95th percentile, and
  the frames drawn per second while playing. Skipped, with a note, when Chromium is absent.

For each notebook in notebooks/ and solutions/: the time to execute it in a fresh kernel (nbclient).
With ``--with-tests``: the time of the whole test command (`python -m pytest -rs`), which is slow.

Targets (2-core machine): kernel median < 30 ms, browser median < 100 ms, >= 20 steps/s while playing,
every notebook < 20 s.

Usage::

    .venv/bin/python scripts/bench.py                 # everything but the test command
    .venv/bin/python scripts/bench.py --with-tests    # also time the whole test command
    .venv/bin/python scripts/bench.py --no-browser --no-notebooks --changes 100
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "scripts"))

import course_browser as cb  # noqa: E402

TARGET_KERNEL_MS = 30.0
TARGET_BROWSER_MS = 100.0
TARGET_PLAY_RATE = 20.0
TARGET_NOTEBOOK_S = 20.0


def log(message: str):
    print(message, file=sys.stderr, flush=True)


def pct(values, q):
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else float("nan")


# ----------------------------------------------------------------------------------------------- kernel side
def widget_tree(widget):
    """Every widget inside ``widget`` (depth first)."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from widget_tree(child)


def kernel_controls(app):
    """(kind, widget) for every control of an app, the same kinds the browser tests operate."""
    import ipywidgets as W

    found = []
    for w in widget_tree(app.widget):
        if w is app.fig.canvas or getattr(w, "disabled", False):
            continue
        if isinstance(w, W.Play):
            found.append(("play", w))
        elif isinstance(w, (W.IntSlider, W.FloatSlider, W.FloatLogSlider, W.IntRangeSlider, W.FloatRangeSlider)):
            found.append(("slider", w))
        elif isinstance(w, (W.Dropdown, W.ToggleButtons, W.RadioButtons, W.Select, W.SelectionSlider)):
            if len(w.options) > 1:
                found.append(("choice", w))
        elif isinstance(w, (W.Checkbox, W.ToggleButton)):
            found.append(("toggle", w))
        elif isinstance(w, (W.IntText, W.FloatText, W.BoundedIntText, W.BoundedFloatText)):
            found.append(("number", w))
        elif isinstance(w, W.Button):
            found.append(("button", w))
    return found


def jslinked(widget):
    """Widgets linked to ``widget`` in the browser only (jslink): the kernel sees them change too."""
    import ipywidgets as W

    linked = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        registry = list(W.Widget.widgets.values()) if hasattr(W.Widget, "widgets") else []
    for other in registry:
        if isinstance(other, W.widgets.widget_link.Link):
            (src, sattr), (dst, dattr) = other.source, other.target
            if src is widget and sattr == "value":
                linked.append((dst, dattr))
            elif dst is widget and dattr == "value":
                linked.append((src, sattr))
    return linked


def change_control(kind, w, rng):
    """One change of a control, as a student would make it."""
    if kind == "slider":
        if hasattr(w, "base"):  # FloatLogSlider
            w.value = float(w.base ** rng.uniform(w.min, w.max))
        elif isinstance(w.value, tuple):
            lo, hi = sorted(rng.uniform(w.min, w.max, 2))
            w.value = (type(w.min)(lo), type(w.min)(hi))
        elif isinstance(w.value, int):
            w.value = int(rng.integers(w.min, w.max + 1))
        else:
            w.value = float(rng.uniform(w.min, w.max))
    elif kind == "choice":
        index = w.index if isinstance(w.index, int) else -1
        w.index = (index + 1 + int(rng.integers(0, len(w.options) - 1))) % len(w.options)
    elif kind == "toggle":
        w.value = not w.value
    elif kind == "number":
        lo = getattr(w, "min", None)
        hi = getattr(w, "max", None)
        new = w.value * rng.uniform(0.5, 1.5) + rng.uniform(-1, 1)
        if lo is not None:
            new = max(lo, new)
        if hi is not None:
            new = min(hi, new)
        w.value = int(round(new)) if isinstance(w.value, int) else float(new)
    elif kind == "button":
        w.click()


class KernelFrames:
    """Stands in for the browser on the kernel side: renders the picture when the app asks for it.

    ``draw_idle`` in ipympl asks the browser, which asks the kernel back for a full render; here the
    request is noted and the render happens right after the change, inside the measured time.
    """

    def __init__(self, app):
        self.canvas = app.fig.canvas
        self.canvas.syncing_data_url = False  # what ipympl does once a browser view is connected
        self.requested = False
        self.canvas.draw_idle = self._request
        self.canvas.draw()

    def _request(self, *args, **kwargs):
        self.requested = True

    def render(self):
        if self.requested:
            self.requested = False
            self.canvas.draw()


def click_event(app, fx, fy, kind="button_press"):
    canvas = app.fig.canvas
    w, h = canvas.get_width_height()
    # the browser's coordinates: from the top-left, in CSS pixels; ipympl flips y
    canvas.handle_event({"type": kind, "x": fx * w, "y": fy * h, "button": 0, "buttons": 1,
                         "modifiers": [], "guiEvent": None})


def bench_kernel_generic(cls, changes: int, steps: int, seed: int = 0) -> dict:
    """Kernel-side timings of any figure class, driving its controls as the browser would."""
    from utils.progress import progress

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = cls()
    frames = KernelFrames(app)
    rng = np.random.default_rng(seed)
    controls = [(k, w) for k, w in kernel_controls(app) if k != "play"]
    actions = [(f"{k} {getattr(w, 'description', '') or type(w).__name__}",
                (lambda k=k, w=w: change_control(k, w, rng))) for k, w in controls]
    if cb._takes_clicks(cls):
        points = cb.click_points_of(app)[:2] or cb.DEFAULT_CLICK_POINTS[:1]

        def click():
            fx, fy = points[int(rng.integers(len(points)))]
            fx, fy = fx + rng.uniform(-0.03, 0.03), fy + rng.uniform(-0.03, 0.03)
            click_event(app, fx, fy, "button_press")
            click_event(app, fx, fy, "button_release")
        actions.append(("click in the figure", click))
    times = []
    errors = []
    if actions:
        for k in progress(range(changes), desc=f"kernel {cls.__name__}", leave=False):
            name, action = actions[k % len(actions)]
            t0 = time.perf_counter()
            try:
                action()
            except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            frames.render()
            times.append(time.perf_counter() - t0)
    play_rate = None
    plays = [w for k, w in kernel_controls(app) if k == "play"]
    if plays and steps:
        play = plays[0]
        linked = jslinked(play)
        t0 = time.perf_counter()
        for _ in progress(range(steps), desc=f"play {cls.__name__}", leave=False):
            play.value = play.value + play.step
            for target, attr in linked:
                setattr(target, attr, play.value)
            frames.render()
        play_rate = steps / (time.perf_counter() - t0)
    return {"changes": times, "play_rate": play_rate, "errors": errors + list(getattr(app, "errors", []))}


def bench_kernel(cls, changes: int, steps: int) -> tuple[dict, str]:
    """Generic timings (change + rendered picture) of a figure, plus the detailed output of its own benchmark
    in scripts/bench_figures.py when there is one (``bench_<name>`` for ``utils/fig_<name>.py``)."""
    suffix = cls.__module__.rsplit(".", 1)[-1].removeprefix("fig_")
    try:
        bench_figures = importlib.import_module("bench_figures")
        own = getattr(bench_figures, f"bench_{suffix}", None)
    except Exception:  # noqa: BLE001
        own = None
    detail = ""
    if own is not None:
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                own(changes, steps)
            detail = out.getvalue()
        except Exception as exc:  # noqa: BLE001
            detail = f"bench_figures.bench_{suffix} failed: {type(exc).__name__}: {exc}"
    result = bench_kernel_generic(cls, changes, steps)
    result["source"] = "generic (change + rendered picture)"
    return result, detail


# ----------------------------------------------------------------------------------------------- browser side
def bench_browser(samples: int, play_seconds: float = 8.0) -> tuple[dict, list[str]]:
    """Title -> {latencies ms, play frames/s}, from the notebooks that show interactive figures."""
    chromium = cb.find_chromium()
    if chromium is None or not cb.playwright_available():
        return {}, [cb.SKIP_REASON.replace("browser tests skipped", "in-browser columns skipped")]
    results: dict[str, dict] = {}
    notes: list[str] = []
    infos = cb.figure_class_infos()
    notebooks = [p for p in cb.discover_notebooks() if cb.has_interactive_outputs(ROOT / p)]
    with cb.LabServer() as server, cb.Browser(chromium) as browser:
        for n, relpath in enumerate(notebooks, 1):
            log(f"[browser {n}/{len(notebooks)}] {relpath}: opening and running all cells")
            with cb.NotebookPage(browser, server, relpath) as page:
                page.run_all()
                page.wait_widgets_rendered()
                for figure in page.figures():
                    key = figure.title or f"{relpath} figure {figure.index + 1}"
                    if key in results:
                        continue
                    if not figure.wait_rendered():
                        notes.append(f"{key}: the canvas never showed a picture in the browser")
                        continue
                    info = infos.get(figure.title)
                    if info is None and not figure.controls():
                        continue  # a plain pyplot figure on ipympl, not an interactive figure of the course
                    # controls marked course-no-redraw change nothing at once (e.g. the speed of play)
                    controls = [c for c in figure.controls() if c["kind"] != "play" and not c.get("noRedraw")]
                    plays = [c for c in figure.controls() if c["kind"] == "play"]
                    inputs = [("control", c) for c in controls]
                    if info is not None and info.takes_clicks:
                        inputs.append(("click", (info.click_points + cb.DEFAULT_CLICK_POINTS)[:2]))
                    latencies, misses = [], 0
                    for k in range(samples if inputs else 0):
                        kind, what = inputs[k % len(inputs)]
                        if kind == "click":
                            fx, fy = what[k % len(what)]
                            jitter = 0.02 * ((k % 5) - 2)
                            result = figure.click_canvas([(fx + jitter, fy - jitter)], timeout=5)
                        else:
                            result = figure.operate(what, timeout=5)
                        if result.changed and result.latency_ms is not None:
                            latencies.append(result.latency_ms)
                        else:
                            misses += 1
                        log(f"    {key}: {k + 1}/{samples} {result.describe()} "
                            f"{'%.0f ms' % result.latency_ms if result.latency_ms else 'no change'}")
                    fps = steps = None
                    if plays:
                        played = figure.play(plays[0], seconds=play_seconds)
                        fps = getattr(played, "frames_per_second", None)
                        steps = getattr(played, "steps_per_second", None)
                    results[key] = {"latencies": latencies, "misses": misses, "play_fps": fps, "play_steps": steps}
    return results, notes


# ----------------------------------------------------------------------------------------------- notebooks
def bench_notebooks() -> list[tuple[str, float | None, str]]:
    import nbformat
    from nbclient import NotebookClient

    rows = []
    paths = cb.discover_notebooks()
    for n, relpath in enumerate(paths, 1):
        log(f"[notebook {n}/{len(paths)}] executing {relpath} in a fresh kernel")
        path = ROOT / relpath
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        try:
            client.execute()
            rows.append((relpath, time.perf_counter() - start, ""))
        except Exception as exc:  # noqa: BLE001
            rows.append((relpath, time.perf_counter() - start, f"error: {type(exc).__name__}"))
        log(f"    {rows[-1][1]:.1f} s {rows[-1][2]}")
    return rows


def bench_tests() -> tuple[float, str]:
    log("[tests] running the whole test command: python -m pytest -rs (slow)")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-rs", "-q", "-p", "no:cacheprovider"], cwd=ROOT,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    summary = next((line for line in reversed(proc.stdout.splitlines()) if line.strip()), "")
    return elapsed, summary.strip("= ")


# ----------------------------------------------------------------------------------------------- table
def verdict(value, target, lower_is_better=True):
    if value is None or value != value:
        return ""
    ok = value < target if lower_is_better else value >= target
    return "ok" if ok else "MISS"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changes", type=int, default=200, help="kernel-side control changes per figure")
    parser.add_argument("--steps", type=int, default=200, help="kernel-side play steps per figure")
    parser.add_argument("--browser-samples", type=int, default=30, help="in-browser inputs per figure")
    parser.add_argument("--no-browser", action="store_true", help="skip the in-browser measurements")
    parser.add_argument("--no-notebooks", action="store_true", help="skip the notebook execution times")
    parser.add_argument("--with-tests", action="store_true", help="also time the whole test command (slow)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    classes = cb.figure_classes()
    kernel, details = {}, []
    for n, cls in enumerate(classes, 1):
        log(f"[kernel {n}/{len(classes)}] {cls.__module__}.{cls.__name__}: "
            f"{args.changes} control changes, {args.steps} play steps")
        result, detail = bench_kernel(cls, args.changes, args.steps)
        kernel[cls.title] = (cls, result)
        if detail:
            details.append(detail.rstrip())
        ms = 1e3 * np.asarray(result["changes"])
        log(f"    median {np.median(ms) if ms.size else float('nan'):.1f} ms ({result['source']})")

    browser, notes = ({}, ["in-browser columns skipped (--no-browser)"]) if args.no_browser else \
        bench_browser(args.browser_samples)
    notebooks = [] if args.no_notebooks else bench_notebooks()
    tests = bench_tests() if args.with_tests else None

    # ---- the table
    print()
    print("Interactive figures: time from an input to the updated figure")
    head = (f"{'figure':<44} {'kernel ms':>9} {'p95':>6} {'n':>4}  {'play/s':>6}   "
            f"{'browser ms':>10} {'p95':>6} {'n':>3}  {'steps/s':>7} {'fps':>5}")
    print(head)
    print("-" * len(head))
    titles = list(kernel) + [t for t in browser if t not in kernel]
    misses = []
    for title in titles:
        cls, k = kernel.get(title, (None, {"changes": [], "play_rate": None}))
        b = browser.get(title, {})
        kms = 1e3 * np.asarray(k["changes"])
        kmed, kp95 = (np.median(kms), pct(kms, 95)) if kms.size else (float("nan"), float("nan"))
        lat = b.get("latencies", [])
        bmed, bp95 = (statistics.median(lat), pct(lat, 95)) if lat else (float("nan"), float("nan"))
        play = k.get("play_rate")
        fps, bsteps = b.get("play_fps"), b.get("play_steps")
        fmt = lambda v, w, d=1: f"{v:{w}.{d}f}" if v is not None and v == v else f"{'-':>{w}}"  # noqa: E731
        print(f"{title[:44]:<44} {fmt(kmed, 9)} {fmt(kp95, 6)} {kms.size:4d}  {fmt(play, 6)}   "
              f"{fmt(bmed, 10, 0)} {fmt(bp95, 6, 0)} {len(lat):3d}  {fmt(bsteps, 7)} {fmt(fps, 5)}")
        for label, value, target, lower in (("kernel median", kmed, TARGET_KERNEL_MS, True),
                                            ("browser median", bmed, TARGET_BROWSER_MS, True),
                                            ("kernel play rate", play, TARGET_PLAY_RATE, False),
                                            ("browser play rate (steps/s)", bsteps, TARGET_PLAY_RATE, False)):
            if verdict(value, target, lower) == "MISS":
                misses.append(f"{title}: {label} {value:.1f} (target {'<' if lower else '>='} {target:g})")
        if b.get("misses"):
            misses.append(f"{title}: {b['misses']} browser input(s) did not change the figure within 5 s")
        for e in k.get("errors", [])[:5]:
            misses.append(f"{title}: error in kernel benchmark: {e}")
    print(f"targets: kernel median < {TARGET_KERNEL_MS:g} ms, browser median < {TARGET_BROWSER_MS:g} ms, "
          f"play >= {TARGET_PLAY_RATE:g} steps/s at 1 step per frame\n"
          f"columns: kernel = callback to frame ready (median, p95, n; play/s = steps/s with every step rendered); "
          f"browser = input to changed canvas in Chromium (median, p95, n); steps/s = training steps the status "
          f"line advanced per second while playing (the Play widget ticks every 50 ms and merged ticks keep the "
          f"pace); fps = canvas frames drawn per second while playing")
    for note in notes:
        print(f"note: {note}")
        if "skipped" not in note:
            misses.append(note)

    if notebooks:
        print()
        print("Notebooks: execution in a fresh kernel (nbclient)")
        width = max(len(r[0]) for r in notebooks)
        for relpath, seconds, error in notebooks:
            mark = error or verdict(seconds, TARGET_NOTEBOOK_S)
            print(f"{relpath:<{width}}  {seconds:6.1f} s  {mark}")
            if mark != "ok":
                misses.append(f"{relpath}: {seconds:.1f} s {error}".strip())
        print(f"target: every notebook < {TARGET_NOTEBOOK_S:g} s")

    if tests is not None:
        print()
        print(f"Test command (python -m pytest -rs): {tests[0]:.0f} s   [{tests[1]}]")

    if details:
        print()
        print("Details from scripts/bench_figures.py")
        print("\n".join(details))

    print()
    print(f"Targets missed: {len(misses)}" + "".join(f"\n  - {m}" for m in misses))
    print(f"(bench took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
