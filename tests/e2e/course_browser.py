"""Drive the course the way a student meets it: JupyterLab on 127.0.0.1, Debian's headless Chromium, Playwright.

Shared by the end-to-end tests (``tests/e2e/``) and the benchmarks (``scripts/bench.py``).

* :class:`LabServer` starts JupyterLab with a token on a free loopback port, serving a temporary copy of
  ``notebooks/``, ``solutions/`` and ``labs/`` (the labs freshly generated from the solutions), so running
  notebooks never touches the repository. It stops the server and deletes the copy when done.
* :class:`Browser` launches Chromium (loopback traffic only) with a small script in every page that records
  when each ``<canvas>`` is drawn on and when the last input event happened: that is what the latency
  measurements use.
* :class:`NotebookPage` opens one notebook, runs all cells from the *Run* menu, waits for the kernel to go
  idle and reports errors; :meth:`NotebookPage.figures` finds the interactive (ipympl) figures.
* :class:`Figure` finds a figure's controls, changes them one by one (sliders, dropdowns, toggle buttons,
  checkboxes, buttons, text boxes, the play button), clicks in the figure, and tells whether the canvas
  pixels changed and how long after the input.
"""

from __future__ import annotations

import json
import re
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

SKIP_REASON = ("no Chromium found: browser tests skipped "
               "(install it with `apt-get install chromium` to run them)")

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
    # Only loopback traffic: every host name fails to resolve; the server is addressed as 127.0.0.1.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]

#: JupyterLab settings for the test server (on top of scripts/lab-settings.json): no news prompt, the
#: notebook's kernel starts without asking, and every cell stays in the page (no virtual scrolling).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True, "windowingMode": "none"},
}

# Runs in every page before JupyterLab: records canvas draws and the time of the latest input event.
INIT_SCRIPT = r"""
(() => {
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const result = draw.apply(this, args);
    const c = this.canvas;
    if (c) {
      const t = performance.now();
      c.__courseDraws = (c.__courseDraws || 0) + 1;
      c.__courseLastDraw = t;
      (c.__courseDrawTimes = c.__courseDrawTimes || []).push(t);
      if (c.__courseDrawTimes.length > 2000) c.__courseDrawTimes.splice(0, 1000);
    }
    return result;
  };
  // a canvas shows a picture: something was drawn on it and it is not fully transparent
  window.__courseCanvasShows = (c) => {
    if (!(c.__courseDraws > 0) || !c.width || !c.height) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4 * 97) if (d[i] !== 0) return true;
    return false;
  };
  window.__courseInputT = null;
  for (const type of ['pointerdown', 'mousedown', 'keydown', 'input', 'change', 'click']) {
    document.addEventListener(type, () => {
      if (window.__courseInputT === null) window.__courseInputT = performance.now();
    }, true);
  }
})();
"""


def find_chromium() -> str | None:
    """Debian's Chromium: /usr/bin/chromium, or `chromium` on PATH; None when absent."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def discover_notebooks() -> list[str]:
    """The taught notebooks and the solved labs, as paths relative to the repo root."""
    paths = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
    return [p.relative_to(ROOT).as_posix() for p in paths if ".ipynb_checkpoints" not in p.parts]


def discover_labs() -> list[str]:
    """The labs a student gets: one per solved lab (generated fresh by :class:`LabServer`)."""
    names = {p.name for p in (ROOT / "solutions").glob("*.ipynb")}
    if not names:  # no solutions: fall back to whatever labs/ holds
        names = {p.name for p in (ROOT / "labs").glob("*.ipynb")}
    return [f"labs/{n}" for n in sorted(names)]


def has_interactive_outputs(path: Path) -> bool:
    """Whether a notebook shows ipympl figures: in its stored outputs (widget state, a FigureApp's text), or
    by its code (it builds a FigureApp subclass of utils.fig_*, calls interactive_figure, or uses ipympl)."""
    text = path.read_text(encoding="utf-8")
    if "MPLCanvasModel" in text or "(interactive: run the notebook" in text:
        return True
    try:
        import nbformat

        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    except Exception:  # noqa: BLE001 - unreadable notebooks fail elsewhere
        return False
    if any(marker in code for marker in ("interactive_figure(", "%matplotlib widget", "%matplotlib ipympl")):
        return True
    try:
        names = [cls.__name__ for cls in figure_classes()]
    except Exception:  # noqa: BLE001
        names = []
    return any(re.search(rf"\b{name}\s*\(", code) for name in names)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----------------------------------------------------------------------------------------------- server
class LabServer:
    """JupyterLab on 127.0.0.1 with a token, serving a temporary copy of the course folders."""

    def __init__(self, folders=("notebooks", "solutions", "labs"), fresh_labs=True, source: Path = ROOT):
        self.folders = folders
        self.source = Path(source)
        self.fresh_labs = fresh_labs
        self.proc: subprocess.Popen | None = None
        self.tmp: Path | None = None

    # -- lifecycle
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self, timeout: float = 90.0):
        self.tmp = Path(tempfile.mkdtemp(prefix="course-e2e-"))
        self.root = self.tmp / "course"
        self.root.mkdir()
        ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
        for folder in self.folders:
            if (self.source / folder).is_dir():
                shutil.copytree(self.source / folder, self.root / folder, ignore=ignore)
        if self.fresh_labs:
            self._generate_labs()
        settings = self.tmp / "settings"
        merged = dict(LAB_SETTINGS)
        try:
            for key, value in json.loads((ROOT / "scripts" / "lab-settings.json").read_text()).items():
                merged[key] = {**value, **merged.get(key, {})}
        except (OSError, ValueError):
            pass
        for key, value in merged.items():
            package, plugin = key.split(":")
            target = settings / package / f"{plugin}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(value))
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable, "-m", "jupyterlab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={self.tmp / 'workspaces'}",
            "--LabApp.expose_app_in_browser=True", "--ServerApp.terminals_enabled=False",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        env = dict(os.environ)
        env.update(JUPYTER_CONFIG_DIR=str(self.tmp / "config"), JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
                   IPYTHONDIR=str(self.tmp / "ipython"), PYTHONUNBUFFERED="1")
        env.pop("MPLBACKEND", None)
        self.log_path = self.tmp / "jupyterlab.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=self.root, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                log = self.log_tail()
                self.stop()
                raise RuntimeError(f"JupyterLab exited with code {self.proc.returncode}:\n{log}")
            try:
                self.api("GET", "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    log = self.log_tail()
                    self.stop()
                    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{log}")
                time.sleep(0.25)

    def _generate_labs(self):
        """labs/ in the copy, made from solutions/ with the repo's own generator (what `make labs` does)."""
        solutions = sorted((ROOT / "solutions").glob("*.ipynb"))
        if not solutions:
            return
        sys.path.insert(0, str(ROOT / "scripts"))
        try:
            from build_labs import lab_text
        finally:
            sys.path.remove(str(ROOT / "scripts"))
        labs = self.root / "labs"
        labs.mkdir(exist_ok=True)
        for path in solutions:
            (labs / path.name).write_text(lab_text(path), encoding="utf-8")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.shutdown_kernels()
            except Exception:
                pass
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the server's own process group (ours)
                self.proc.wait(timeout=10)
        if self.proc is not None:
            # kernels are started in the server's process group; end any that outlived it
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    # -- REST
    def api(self, method: str, path: str, timeout: float = 10.0):
        request = urllib.request.Request(self.base_url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        for session in self.api("GET", "/api/sessions") or []:
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels") or []:
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def url(self, relpath: str) -> str:
        return f"{self.base_url}/lab/tree/{relpath}?reset&token={self.token}"


# ----------------------------------------------------------------------------------------------- browser
class Browser:
    """One headless Chromium (Playwright) for a whole session."""

    def __init__(self, executable: str, viewport=(1500, 1100)):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self.browser = self._pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            self.context = self.browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
            self.context.add_init_script(INIT_SCRIPT)
        except Exception:
            self._pw.stop()
            raise

    def close(self):
        try:
            self.browser.close()
        finally:
            self._pw.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


JS_PANEL = "window.jupyterapp && window.jupyterapp.shell.currentWidget"

JS_KERNEL_STATUS = f"""() => {{
  const w = {JS_PANEL};
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return k ? k.status : null;
}}"""

JS_RUN_STATE = f"""() => {{
  const w = {JS_PANEL};
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-InputArea-prompt')].map(p => p.textContent);
  return {{status: k ? k.status : null, busy: prompts.filter(t => t.includes('*')).length}};
}}"""

JS_CELLS = f"""() => {{
  const w = {JS_PANEL};
  const cells = w.content.model.cells;
  const out = [];
  for (let i = 0; i < cells.length; i++) {{
    const c = cells.get(i);
    const source = c.sharedModel.getSource();
    const tags = (c.getMetadata && c.getMetadata('tags')) || [];
    const item = {{index: i, type: c.type, source, tags, count: null, outputs: []}};
    if (c.type === 'code') {{
      item.count = c.executionCount;
      item.outputs = c.outputs.toJSON().map(o => ({{
        type: o.output_type, name: o.name || null,
        text: o.output_type === 'error' ? `${{o.ename}}: ${{o.evalue}}`
             : o.output_type === 'stream' ? (Array.isArray(o.text) ? o.text.join('') : o.text)
             : ((o.data && o.data['text/plain']) ? [].concat(o.data['text/plain']).join('') : ''),
        mimes: o.data ? Object.keys(o.data) : []
      }}));
    }}
    out.push(item);
  }}
  return out;
}}"""

JS_HOOK_IOPUB = f"""() => {{
  const w = {JS_PANEL};
  window.__courseIopub = [];
  w.sessionContext.iopubMessage.connect((_, msg) => {{
    const t = msg.header.msg_type;
    const c = msg.content || {{}};
    if (t === 'error' || (t === 'stream' && c.name === 'stderr')) {{
      window.__courseIopub.push({{type: t, parent: (msg.parent_header || {{}}).msg_type || null,
        text: t === 'error' ? `${{c.ename}}: ${{c.evalue}}` : c.text}});
    }}
  }});
  return true;
}}"""

JS_FIGURES = """() => {
  const outs = [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output')]
    .filter(o => o.querySelector('.jupyter-matplotlib canvas'));
  const top = outs.filter(o => !outs.some(other => other !== o && other.contains(o)));
  const cells = [...document.querySelectorAll('.jp-NotebookPanel .jp-Cell')].filter(c => !c.parentElement.closest('.jp-Cell'));
  return top.map((o, i) => {
    o.setAttribute('data-course-figure', String(i));
    const cell = o.closest('.jp-Cell');
    const area = o.closest('.jp-OutputArea');
    const outputIndex = area ? [...area.querySelectorAll(':scope > .jp-OutputArea-child')]
      .findIndex(ch => ch.contains(o)) : -1;
    return {index: i, cell: cells.indexOf(cell), output: outputIndex,
            canvases: o.querySelectorAll('.jupyter-matplotlib').length};
  });
}"""

# The controls of one figure, each tagged with data-course-control="k".
JS_CONTROLS = r"""(root) => {
  const found = [], seen = new Set();
  const labelOf = (el) => {
    const box = el.closest('.widget-inline-hbox, .widget-toggle-buttons, .widget-checkbox') || el;
    const label = box.querySelector(':scope > .widget-label');
    let text = label ? label.textContent.trim() : '';
    if (text === '\u200b') text = '';
    if (!text) {   // a label widget just before the control (e.g. before a row of toggle buttons)
      const prev = box.previousElementSibling;
      if (prev && prev.classList.contains('widget-label')) text = prev.textContent.trim();
    }
    if (!text) text = (el.getAttribute('title') || el.textContent || '').trim();
    if (!text) { const span = box.querySelector('span[title]'); if (span) text = span.title; }
    return text.slice(0, 40);
  };
  const usable = (el) => !el.closest('.jupyter-matplotlib') && !el.disabled
    && !el.closest('.mod-disabled') && el.getClientRects().length > 0;
  const add = (el, kind) => {
    if (!usable(el) || seen.has(el)) return;
    seen.add(el);
    el.setAttribute('data-course-control', String(found.length));
    // a control whose effect shows only later (e.g. "steps per frame" while playing) can opt out of the
    // "picture changes at once" check with widget.add_class("course-no-redraw")
    found.push({id: found.length, kind, label: labelOf(el), noRedraw: !!el.closest('.course-no-redraw')});
  };
  const all = (sel) => [...root.querySelectorAll(sel)];
  all('.widget-slider').forEach(el => { if (el.querySelector('.noUi-handle') && !el.querySelector('[disabled]')) add(el, 'slider'); });
  all('.widget-dropdown select').forEach(el => { if (el.options.length > 1) add(el, 'dropdown'); });
  all('.widget-select select').forEach(el => { if (el.options.length > 1) add(el, 'select'); });
  all('.widget-radio-box').forEach(el => { if (el.querySelectorAll('input').length > 1) add(el, 'radio'); });
  all('.widget-toggle-buttons').forEach(el => { if (el.querySelectorAll('button').length > 1) add(el, 'toggle buttons'); });
  all('button.widget-toggle-button').forEach(el => { if (!el.closest('.widget-toggle-buttons')) add(el, 'toggle button'); });
  all('.widget-checkbox input[type=checkbox]').forEach(el => add(el, 'checkbox'));
  all('.widget-text input, .widget-textarea textarea').forEach(el => add(el, 'text'));
  all('button.widget-button').forEach(el => { if (!el.closest('.widget-play')) add(el, 'button'); });
  all('.widget-play').forEach(el => add(el, 'play'));
  return found;
}"""

JS_CANVAS_STATE = """(root) => [...root.querySelectorAll('.jupyter-matplotlib-canvas-div > canvas:first-child')]
  .map(c => ({url: c.toDataURL(), draws: c.__courseDraws || 0, width: c.width, height: c.height}))"""

# True once a canvas drew again, has settled, and its pixels differ from before.
JS_CHANGED = """([root, before, settle]) => {
  const cs = [...root.querySelectorAll('.jupyter-matplotlib-canvas-div > canvas:first-child')];
  const now = performance.now();
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i], b = before[i];
    const draws = c.__courseDraws || 0;
    if (!b || draws <= b.draws || now - (c.__courseLastDraw || 0) < settle) continue;
    if (c.__courseCompared === draws) continue;
    c.__courseCompared = draws;
    if (c.toDataURL() !== b.url) return true;
  }
  return false;
}"""

# Latency: first draw on any canvas of the figure after the input event.
JS_LATENCY = """(root) => {
  const t0 = window.__courseInputT;
  if (t0 === null) return null;
  let first = null;
  for (const c of root.querySelectorAll('.jupyter-matplotlib-canvas-div > canvas:first-child')) {
    for (const t of (c.__courseDrawTimes || [])) if (t >= t0 && (first === null || t < first)) first = t;
  }
  return first === null ? null : first - t0;
}"""


@dataclass
class Interaction:
    """The outcome of one input on a figure."""

    kind: str
    label: str
    changed: bool
    latency_ms: float | None = None
    detail: str = ""

    def describe(self) -> str:
        what = f"{self.kind} '{self.label}'" if self.label else self.kind
        return f"{what}: {self.detail}" if self.detail else what


@dataclass
class NotebookRun:
    seconds: float
    problems: list[str] = field(default_factory=list)


class NotebookPage:
    """One notebook open in JupyterLab, in its own browser tab."""

    def __init__(self, browser: Browser, server: LabServer, relpath: str):
        self.browser, self.server, self.relpath = browser, server, relpath
        self.page = None
        self.console_errors: list[str] = []

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc):
        self.close()

    def open(self, timeout: float = 90.0):
        page = self.page = self.browser.context.new_page()
        page.set_default_timeout(30_000)
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.goto(self.server.url(self.relpath), wait_until="domcontentloaded", timeout=int(timeout * 1000))
        page.wait_for_function(
            f"(p) => {{ const w = {JS_PANEL}; return w && w.context && w.context.path === p && w.content "
            "&& w.content.widgets.length > 0; }", arg=self.relpath, timeout=int(timeout * 1000))
        self.wait_kernel_idle(timeout)
        page.evaluate(JS_HOOK_IOPUB)

    def close(self):
        if self.page is not None:
            self.page.close()
            self.page = None
        try:
            self.server.shutdown_kernels()
        except Exception:
            pass

    # -- kernel
    def _accept_kernel_dialog(self):
        """The kernel-selection dialog, if JupyterLab asks: accept the preferred kernel."""
        dialog = self.page.locator(".jp-Dialog")
        if dialog.count() and dialog.first.is_visible():
            accept = dialog.locator("button.jp-mod-accept")
            if accept.count():
                accept.first.click()

    def kernel_status(self):
        return self.page.evaluate(JS_KERNEL_STATUS)

    def wait_kernel_idle(self, timeout: float = 90.0):
        deadline = time.monotonic() + timeout
        while self.kernel_status() != "idle":
            self._accept_kernel_dialog()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.relpath}: the kernel did not become idle within {timeout:.0f} s "
                                   f"(status {self.kernel_status()!r})")
            time.sleep(0.2)

    # -- running
    def run_all(self, timeout: float = 180.0) -> float:
        """Run > Run All Cells from the menu bar; wait until nothing is queued and the kernel is idle."""
        page = self.page
        page.locator(".lm-MenuBar-item").filter(has_text=re.compile(r"^\s*Run\s*$")).first.click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        start = time.monotonic()
        quiet_since = None
        while True:
            self._accept_kernel_dialog()
            state = page.evaluate(JS_RUN_STATE)
            now = time.monotonic()
            if state["status"] == "idle" and state["busy"] == 0:
                quiet_since = quiet_since or now
                if now - quiet_since >= 0.8:
                    return quiet_since - start
            else:
                quiet_since = None
            if now - start > timeout:
                raise TimeoutError(f"{self.relpath}: Run All Cells still running after {timeout:.0f} s")
            time.sleep(0.1)

    def cells(self) -> list[dict]:
        return self.page.evaluate(JS_CELLS)

    def wait_widgets_rendered(self, timeout: float = 30.0) -> list[str]:
        """Wait until every widget output has rendered; return the problems (errors shown in widgets)."""
        deadline = time.monotonic() + timeout
        js = """() => {
          const outs = [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output')]
            .filter(o => o.getAttribute('data-mime-type') === 'application/vnd.jupyter.widget-view+json');
          const pending = outs.filter(o => !o.querySelector('.jupyter-widgets, .lm-Widget, .widget-container')
                                      && !o.textContent.includes('Error displaying widget')).length;
          const canvases = [...document.querySelectorAll('.jp-NotebookPanel .jupyter-matplotlib-canvas-div > canvas:first-child')];
          const undrawn = canvases.filter(c => !window.__courseCanvasShows(c)).length;
          return {pending, undrawn};
        }"""
        while True:
            state = self.page.evaluate(js)
            if state["pending"] == 0 and state["undrawn"] == 0:
                break
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        problems = []
        if state["pending"]:
            problems.append(f"{state['pending']} widget output(s) never rendered within {timeout:.0f} s")
        if state["undrawn"]:
            problems.append(f"{state['undrawn']} figure canvas(es) never drew a picture within {timeout:.0f} s")
        problems += self.widget_errors()
        return problems

    def widget_errors(self) -> list[str]:
        texts = self.page.evaluate("""() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Cell')]
          .map((c, i) => [i, c.querySelector('.jp-OutputArea') ? c.querySelector('.jp-OutputArea').innerText : ''])
          .filter(([i, t]) => t.includes('Error displaying widget'))""")
        return [f"cell {i + 1}: a widget shows 'Error displaying widget': {t.strip()[:200]!r}" for i, t in texts]

    def cell_problems(self, cells: list[dict] | None = None, upto: int | None = None,
                      require_all_run: bool = True) -> list[str]:
        """Errors shown in cells (and warnings/tracebacks on stderr), and cells Run All never reached."""
        cells = self.cells() if cells is None else cells
        problems = []
        for cell in cells:
            if cell["type"] != "code" or (upto is not None and cell["index"] > upto):
                continue
            first = next((line for line in cell["source"].splitlines() if line.strip()), "")[:70]
            where = f"cell {cell['index'] + 1} ({first!r})"
            tolerated = "raises-exception" in cell["tags"]
            for out in cell["outputs"]:
                if out["type"] == "error" and not tolerated:
                    problems.append(f"{where} shows an error: {out['text'][:300]}")
                elif out["type"] == "stream" and out["name"] == "stderr" and any(
                        w in out["text"] for w in ("Traceback", "Warning", "Error")):
                    problems.append(f"{where} writes to stderr: {out['text'].strip()[:300]}")
            if require_all_run and cell["source"].strip() and cell["count"] is None:
                problems.append(f"{where} was never run by Run All Cells (an earlier cell stopped the run?)")
        return problems

    def callback_errors(self) -> list[str]:
        """Errors and warnings the kernel reported while the page was open (widget callbacks included)."""
        entries = self.page.evaluate("() => window.__courseIopub || []")
        return [f"{e['type']} during {e['parent'] or 'a kernel message'}: {e['text'].strip()[:300]}"
                for e in entries
                if e["type"] == "error" or any(w in e["text"] for w in ("Traceback", "Warning", "Error"))]

    def figures(self) -> list["Figure"]:
        infos = self.page.evaluate(JS_FIGURES)
        cells = self.cells()
        figures = []
        for info in infos:
            title = ""
            cell = cells[info["cell"]] if 0 <= info["cell"] < len(cells) else None
            if cell is not None and 0 <= info["output"] < len(cell["outputs"]):
                text = cell["outputs"][info["output"]]["text"]
                if "(interactive:" in text:
                    title = text.split("(interactive:")[0].strip()
            figures.append(Figure(self, info["index"], info["cell"], title))
        return figures


class Figure:
    """One interactive figure (an ipympl canvas with its controls) on a notebook page."""

    def __init__(self, notebook: NotebookPage, index: int, cell: int, title: str = ""):
        self.notebook, self.page = notebook, notebook.page
        self.index, self.cell, self.title = index, cell, title
        self.root = self.page.locator(f"[data-course-figure='{index}']")

    @property
    def name(self) -> str:
        return self.title or f"figure {self.index + 1} (cell {self.cell + 1})"

    def _handle(self):
        return self.root.element_handle()

    def state(self):
        return self.page.evaluate(JS_CANVAS_STATE, self._handle())

    def controls(self) -> list[dict]:
        return self.page.evaluate(JS_CONTROLS, self._handle())

    def control(self, cid: int):
        return self.root.locator(f"[data-course-control='{cid}']")

    def wait_rendered(self, timeout: float = 20.0) -> bool:
        try:
            self.page.wait_for_function(
                "(root) => { const cs = [...root.querySelectorAll('.jupyter-matplotlib-canvas-div > canvas:first-child')];"
                " return cs.length > 0 && cs.every(c => window.__courseCanvasShows(c) && performance.now() - (c.__courseLastDraw || 0) > 300); }",
                arg=self._handle(), timeout=int(timeout * 1000), polling=100)
            return True
        except Exception:
            return False

    def _act(self, kind: str, label: str, action, timeout: float = 8.0, settle_ms: int = 120) -> Interaction:
        self.root.scroll_into_view_if_needed()
        before = self.state()
        self.page.evaluate("() => { window.__courseInputT = null; }")
        try:
            detail = action() or ""
        except Exception as exc:  # the control could not be operated at all
            return Interaction(kind, label, False, None, f"could not operate it ({type(exc).__name__}: {exc})")
        try:
            self.page.wait_for_function(JS_CHANGED, arg=[self._handle(), before, settle_ms],
                                        timeout=int(timeout * 1000), polling=40)
        except Exception:
            return Interaction(kind, label, False, None,
                               f"the figure did not change within {timeout:.0f} s{' (' + detail + ')' if detail else ''}")
        latency = self.page.evaluate(JS_LATENCY, self._handle())
        return Interaction(kind, label, True, latency, detail)

    # -- one input per control kind
    def operate(self, ctl: dict, timeout: float = 8.0) -> Interaction:
        kind, label = ctl["kind"], ctl["label"]
        el = self.control(ctl["id"])
        page = self.page

        def slider():
            track = el.locator(".noUi-target").first
            handle = el.locator(".noUi-handle").first
            tb, hb = track.bounding_box(), handle.bounding_box()
            vertical = tb["height"] > tb["width"]
            if vertical:
                frac = (hb["y"] + hb["height"] / 2 - tb["y"]) / tb["height"]
                target = 0.2 if frac > 0.5 else 0.8
                page.mouse.click(tb["x"] + tb["width"] / 2, tb["y"] + target * tb["height"])
            else:
                frac = (hb["x"] + hb["width"] / 2 - tb["x"]) / tb["width"]
                # a different place each time, far from the handle
                target = 0.25 + 0.5 * ((frac + 0.37) % 1.0) if 0.25 < frac < 0.75 else (0.7 if frac <= 0.25 else 0.3)
                page.mouse.click(tb["x"] + target * tb["width"], tb["y"] + tb["height"] / 2)
            return ""

        def select():
            options = el.evaluate("(s) => [...s.options].map(o => o.value)")
            current = el.evaluate("(s) => s.selectedIndex")
            new = (current + 1) % len(options)
            el.select_option(index=new)
            return f"chose option {new + 1} of {len(options)}"

        def radio():
            el.locator("input:not(:checked)").first.click()

        def toggles():
            el.locator("button:not(.mod-active)").first.click()

        def click():
            el.click()

        def text():
            value = el.input_value()
            integer = (el.get_attribute("step") or "") == "1" or (value.lstrip("-").isdigit())
            try:
                number = float(value) * 1.5 + 1.0
                new = str(int(round(number))) if integer else repr(number)
            except ValueError:
                new = value + " x"
            el.fill(new)
            page.evaluate("() => { window.__courseInputT = null; }")   # the input that acts is the Enter key
            el.press("Enter")
            return f"typed {new}"

        actions = {"slider": slider, "dropdown": select, "select": select, "radio": radio,
                   "toggle buttons": toggles, "toggle button": click, "checkbox": click, "button": click,
                   "text": text}
        if kind == "play":
            return self.play(ctl, timeout=timeout)
        return self._act(kind, label, actions[kind], timeout=timeout)

    def play(self, ctl: dict, seconds: float = 2.0, timeout: float = 8.0) -> Interaction:
        """Press play: the figure must animate; measures the steps per second drawn while it plays."""
        el = self.control(ctl["id"])
        buttons = el.locator("button")
        # while playing, frames keep coming: compare as soon as one has arrived (no waiting for a still picture)
        result = self._act("play", ctl["label"], lambda: buttons.first.click(), timeout=timeout, settle_ms=0)
        if result.changed:
            js_count = """(root) => [...root.querySelectorAll('.jupyter-matplotlib-canvas-div > canvas:first-child')]
               .reduce((n, c) => Math.max(n, c.__courseDraws || 0), 0)"""
            n0, s0, t0 = self.page.evaluate(js_count, self._handle()), self.shown_step(), time.perf_counter()
            time.sleep(seconds)
            n1, s1, t1 = self.page.evaluate(js_count, self._handle()), self.shown_step(), time.perf_counter()
            result.frames_per_second = (n1 - n0) / (t1 - t0)
            result.steps_per_second = (s1 - s0) / (t1 - t0) if s0 is not None and s1 is not None else None
            result.detail = f"{result.frames_per_second:.1f} frames/s while playing" + (
                f", {result.steps_per_second:.1f} training steps/s" if result.steps_per_second is not None else "")
        stop = el.locator("button:has(.fa-stop)")
        (stop.first if stop.count() else buttons.first).click()
        self.wait_rendered(timeout=5.0)  # let the last frames arrive: the next check starts from a still picture
        return result

    def shown_step(self) -> int | None:
        """The training step the figure's status line shows ("step N"), if it shows one."""
        match = re.search(r"\bstep (\d+)", self.root.inner_text())
        return int(match.group(1)) if match else None

    def click_canvas(self, points, timeout: float = 5.0) -> Interaction:
        """Click at (fx, fy) fractions of the canvas (from its top-left) until the figure changes."""
        canvas = self.root.locator(".jupyter-matplotlib-canvas-div").first
        tried = []
        for fx, fy in points:
            def act(fx=fx, fy=fy):
                box = canvas.bounding_box()
                x, y = box["x"] + fx * box["width"], box["y"] + fy * box["height"]
                # as a reader does: move there, then press; the latency counts from the press
                self.page.mouse.move(x, y)
                time.sleep(0.15)
                self.page.evaluate("() => { window.__courseInputT = null; }")
                self.page.mouse.down()
                self.page.mouse.up()
            tried.append(f"({fx:.0%}, {fy:.0%})")
            result = self._act("click", "in the figure", act, timeout=timeout)
            if result.changed:
                result.detail = f"at {tried[-1]} of the canvas"
                return result
        return Interaction("click", "in the figure", False, None,
                           f"no click changed the figure (tried {', '.join(tried)} of the canvas)")

    def screenshot(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.root.screenshot(path=str(path))

    def status_errors(self) -> list[str]:
        text = self.root.inner_text()
        return [line.strip() for line in text.splitlines() if line.strip().startswith("Error:")]


# ----------------------------------------------------------------------------------------------- figure classes
@dataclass
class FigureClassInfo:
    """What the kernel side knows about a FigureApp subclass: its title, and where it takes clicks."""

    cls: type
    title: str
    takes_clicks: bool
    click_points: list = field(default_factory=list)  # (fx, fy) canvas fractions inside each axes


def figure_classes() -> list[type]:
    """Every FigureApp subclass defined in a ``utils.fig_*`` module."""
    import importlib
    import pkgutil

    import utils
    from utils.interactive import FigureApp

    found = []
    for info in sorted(pkgutil.iter_modules(utils.__path__), key=lambda i: i.name):
        if not info.name.startswith("fig_"):
            continue
        module = importlib.import_module(f"utils.{info.name}")
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, FigureApp) and obj is not FigureApp
                    and obj.__module__ == module.__name__):
                found.append(obj)
    return found


def _takes_clicks(cls) -> bool:
    import inspect

    from utils.interactive import FigureApp

    for klass in cls.__mro__:
        if klass is FigureApp or klass is object:
            continue
        try:
            if "button_press_event" in inspect.getsource(klass):
                return True
        except (OSError, TypeError):
            pass
    return False


def click_points_of(app) -> list[tuple[float, float]]:
    """Points (canvas fractions from the top-left) inside the axes that take clicks (``app.click_axes``, or
    else every axes, right-most first)."""
    fig = app.fig
    try:
        fig.draw_without_rendering()
    except Exception:
        pass
    boxes = []
    for ax in list(getattr(app, "click_axes", None) or fig.axes):
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        p = ax.get_position()
        boxes.append((p.x0, 1 - p.y1, p.x1, 1 - p.y0))
    boxes.sort(key=lambda b: -b[0])
    points = []
    for x0, y0, x1, y1 in boxes:
        for fx, fy in ((0.3, 0.35), (0.7, 0.7)):
            points.append((x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)))
    return points


def figure_class_infos() -> dict[str, FigureClassInfo]:
    """Title -> FigureClassInfo for every figure class (instantiated with defaults to find its axes)."""
    import warnings

    infos = {}
    for cls in figure_classes():
        takes = _takes_clicks(cls)
        points = []
        if takes:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    points = click_points_of(cls())
            except Exception:
                points = []
        infos[getattr(cls, "title", cls.__name__)] = FigureClassInfo(cls, cls.title, takes, points)
    return infos


DEFAULT_CLICK_POINTS = [(0.7, 0.5), (0.3, 0.5), (0.5, 0.5)]


def exercise_figure(figure: Figure, info: FigureClassInfo | None, timeout: float = 8.0):
    """Operate every control of a figure and click it where it takes clicks.

    Returns (interactions, problems): every input tried, and the ones that did not change the figure.
    """
    interactions: list[Interaction] = []
    controls = figure.controls()
    if info is None and not controls:
        # not a course figure (no FigureApp title) and nothing to operate: a plain pyplot figure on ipympl
        return [], [f"{figure.name}: a plain matplotlib figure is shown as an ipympl widget (no controls, not a "
                    "FigureApp): static figures should be inline PNGs; importing ipympl switched pyplot's backend "
                    "(ipympl/__init__.py calls matplotlib.use when matplotlib is already imported)"]
    if info is None or info.takes_clicks:
        # an unknown figure gets one exploratory click; a figure that takes clicks must answer one of them
        points = (info.click_points + DEFAULT_CLICK_POINTS)[:6] if info else DEFAULT_CLICK_POINTS[:1]
        result = figure.click_canvas(points, timeout=min(timeout, 4.0))
        if info is not None or result.changed:
            interactions.append(result)
    # play first (a figure that animates a run shows more after some steps), buttons last (reset ...)
    order = ["play", "slider", "dropdown", "select", "radio", "toggle buttons", "toggle button", "checkbox", "text",
             "button"]
    controls = sorted(controls, key=lambda c: (order.index(c["kind"]), c["id"]))
    plays = [c for c in controls if c["kind"] == "play"]
    for ctl in controls:
        result = figure.operate(ctl, timeout=timeout)
        if not result.changed and plays and ctl["kind"] != "play":
            # the figure may show nothing new in its current state (e.g. a run at step 0): play a little, retry
            figure.play(plays[0], seconds=1.0, timeout=timeout)
            retry = figure.operate(ctl, timeout=timeout)
            if retry.changed:
                retry.detail = (retry.detail + "; " if retry.detail else "") + "changed after playing a few steps"
            result = retry
        if not result.changed and ctl.get("noRedraw"):
            result.changed = True  # operated; its effect shows later, as its author declared
            result.detail = "no immediate change (marked course-no-redraw)"
        interactions.append(result)
    problems = [f"{figure.name}: {i.describe()}" for i in interactions if not i.changed]
    if not interactions:
        problems.append(f"{figure.name}: found no control to change and no place to click")
    problems += [f"{figure.name}: status shows {e!r}" for e in figure.status_errors()]
    return interactions, problems


def artifact_name(relpath: str, figure: Figure) -> str:
    stem = Path(relpath).stem
    folder = Path(relpath).parent.name
    title = "".join(ch if ch.isalnum() else "_" for ch in (figure.title or "figure")).strip("_").lower()
    return f"{folder}__{stem}__fig{figure.index + 1}_{title[:40]}.png"
