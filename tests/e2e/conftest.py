"""Fixtures of the end-to-end browser tests: one JupyterLab server and one Chromium for the whole session.

The tests need Debian's Chromium (``apt-get install chromium``) and Python's playwright (in requirements).
Without Chromium they are skipped with a reason that says so, unless ``COURSE_REQUIRE_BROWSER=1`` (set by
``.ci/run``), in which case they fail: CI must never pass by skipping them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course_browser as cb  # noqa: E402


def _chromium_or_skip() -> str:
    problem = None
    path = cb.find_chromium()
    if path is None:
        problem = cb.SKIP_REASON
    elif not cb.playwright_available():
        problem = ("Python's playwright is not installed: browser tests skipped "
                   "(run `make setup` to install the requirements)")
    if problem is not None:
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{problem} [COURSE_REQUIRE_BROWSER=1: browser tests are required]", pytrace=False)
        pytest.skip(problem)
    return path


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return _chromium_or_skip()


@pytest.fixture(scope="session")
def lab_server(chromium_path):
    """JupyterLab on 127.0.0.1 (token, free port) serving a temporary copy of the course; stopped at the end."""
    server = cb.LabServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium_path, lab_server):
    with cb.Browser(chromium_path) as b:
        yield b


@pytest.fixture(scope="session")
def figure_infos():
    """Title -> what the kernel side knows about each interactive figure class (where it takes clicks)."""
    return cb.figure_class_infos()


@pytest.fixture(scope="session")
def artifacts():
    """test-artifacts/ in the repo root, emptied of the previous run's figure screenshots."""
    cb.ARTIFACTS.mkdir(exist_ok=True)
    for old in cb.ARTIFACTS.glob("*__fig*.png"):
        old.unlink()
    return cb.ARTIFACTS
