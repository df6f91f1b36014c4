"""The environment check of the course map: which versions are installed, and whether they fit."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"

# The packages a reader needs to run the notebooks (the rest of requirements.txt is for the tests).
COURSE_PACKAGES = ("jupyterlab", "ipywidgets", "ipympl", "numpy", "matplotlib", "tqdm")


@dataclass
class PackageStatus:
    name: str
    wanted: str
    found: str | None
    ok: bool
    problem: str | None


def read_requirements(path: Path = REQUIREMENTS) -> dict[str, str]:
    """Package name -> version range, from requirements.txt."""
    from packaging.requirements import Requirement

    wanted = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            wanted[req.name.lower()] = str(req.specifier)
    return wanted


def check_environment(packages=COURSE_PACKAGES) -> list[PackageStatus]:
    """The status of each course package: installed version against the range the course was tested with."""
    from packaging.specifiers import SpecifierSet

    wanted = read_requirements() if REQUIREMENTS.exists() else {}
    statuses = []
    for name in packages:
        spec = wanted.get(name, "")
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            statuses.append(PackageStatus(name, spec, None, False,
                                          f"{name} is not installed: run `make course` from the course folder"))
            continue
        ok = not spec or SpecifierSet(spec).contains(found, prereleases=True)
        problem = None if ok else f"{name} {found} is outside the tested range {spec}: run `make course` to get the course's environment"
        statuses.append(PackageStatus(name, spec, found, ok, problem))
    return statuses


def python_problem() -> str | None:
    if sys.version_info < (3, 11):
        return f"Python {sys.version.split()[0]} is too old: the course needs Python 3.11 or newer"
    return None


def widget_problem() -> str | None:
    """Interactive figures need the ipympl backend to load in this kernel."""
    try:
        import ipympl.backend_nbagg  # noqa: F401
    except Exception as exc:  # report, never crash the check
        return f"interactive figures will not work: ipympl cannot be loaded ({exc})"
    return None


def report() -> tuple[str, list[str]]:
    """A table of versions (text) and the list of problems in plain words (empty when all is well)."""
    rows = [f"{'package':<12} {'installed':<12} tested range", f"{'python':<12} {sys.version.split()[0]:<12} >=3.11"]
    problems = [p for p in (python_problem(), widget_problem()) if p]
    for status in check_environment():
        rows.append(f"{status.name:<12} {status.found or 'missing':<12} {status.wanted}")
        if status.problem:
            problems.append(status.problem)
    return "\n".join(rows), problems
