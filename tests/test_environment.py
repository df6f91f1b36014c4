"""The set-up: conda and pip agree, the package imports from anywhere, the pure modules stay pure."""

import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent

# pip name -> conda-forge name, where they differ
CONDA_NAMES = {"matplotlib": "matplotlib-base"}
PURE_MODULES = ["data", "costs", "landscape", "surfaces", "optimizers", "schedules", "runs"]


def pip_requirements():
    reqs = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            reqs[req.name.lower()] = req.specifier
    return reqs


def conda_dependencies():
    """The conda dependencies of environment.yml as name -> SpecifierSet (a small reader, no YAML library)."""
    deps, inside = {}, False
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line:
            continue
        if not line.startswith(" "):
            inside = line.strip() == "dependencies:"
            continue
        if inside and line.strip().startswith("- "):
            item = line.strip()[2:].strip()
            name = item
            for i, ch in enumerate(item):
                if ch in "<>=!~ ":
                    name = item[:i]
                    break
            deps[name.lower()] = SpecifierSet(item[len(name):].replace(" ", ""))
    return deps


def test_environment_yml_agrees_with_requirements():
    pip, conda = pip_requirements(), conda_dependencies()
    problems = []
    for name, spec in pip.items():
        conda_name = CONDA_NAMES.get(name, name)
        if conda_name not in conda:
            problems.append(f"{name} is in requirements.txt but {conda_name} is missing from environment.yml")
        elif conda[conda_name] != spec:
            problems.append(f"{name}: requirements.txt wants '{spec}', environment.yml '{conda[conda_name]}'")
    known = {CONDA_NAMES.get(n, n) for n in pip} | {"python", "pip"}
    problems += [f"{n} is in environment.yml but not in requirements.txt" for n in conda if n not in known]
    assert not problems, "\n".join(problems)


def test_environment_reader_sees_a_disagreement(tmp_path, monkeypatch):
    """The comparison above can fail: a changed range in a copy of environment.yml is caught."""
    text = (ROOT / "environment.yml").read_text().replace("numpy>=1.26,<3", "numpy>=1.20,<3")
    copy = tmp_path / "environment.yml"
    copy.write_text(text)
    (tmp_path / "requirements.txt").write_text((ROOT / "requirements.txt").read_text())
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="numpy"):
        test_environment_yml_agrees_with_requirements()


def test_python_version_in_environment_yml():
    assert conda_dependencies()["python"] == SpecifierSet(">=3.11")


def test_utils_imports_from_any_folder(tmp_path):
    """`from utils import ...` works outside the repository (the course is installed, no sys.path edits)."""
    code = "import utils, utils.checks, utils.style; print(utils.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()).resolve() == (ROOT / "utils" / "__init__.py").resolve()


@pytest.mark.parametrize("module", PURE_MODULES)
def test_computation_modules_import_no_drawing(module):
    """The computation modules stay pure numpy: importing one loads neither matplotlib nor ipywidgets."""
    code = (f"import sys, utils.{module}; "
            "bad = [m for m in ('matplotlib', 'ipywidgets', 'ipympl') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"utils.{module} imports {out.stdout.strip()}"


def test_makefile_has_the_two_readme_commands():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in ("course", "test"):
        assert f"\n{target}:" in makefile
        assert f"make {target}" in readme


def test_environment_check_reports_no_problem_here():
    from utils.envcheck import report

    table, problems = report()
    assert "numpy" in table and not problems, problems
