"""Exercise checks for the labs.

A check runs the student's function on several cases (ordinary ones and edge cases) and compares each
result with the expected one. On a failure it says which case failed, what was expected and what came
back, and, when the result matches a known mistake, names the mistake. It never lets a traceback from
inside the checker reach the student: an exception raised by the student's code is reported in words.

Each lab has its own module (``utils.checks.lab01`` ...) whose functions build on :func:`run_check`.

Example
-------
>>> import numpy as np
>>> from utils.checks import Case, Mistake, run_check
>>> cases = [Case("two examples", args=(np.array([1.0, 2.0]), np.array([0.0, 0.0])), expected=2.5)]
>>> mistakes = [Mistake("the mean is missing: the cost divides the sum of the losses by m",
...                     lambda y, p: float(np.sum((y - p) ** 2)))]
>>> run_check("cost", lambda y, p: float(np.sum((y - p) ** 2)), cases, mistakes).passed
False
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

PASS_MARK = "✅"
FAIL_MARK = "❌"
TODO_MARK = "⏳"


@dataclass
class Case:
    """One call of the student's function.

    Parameters
    ----------
    description : str
        What the case is, in words ("a batch of three examples", "a zero-width box").
    args, kwargs
        The arguments of the call. Arrays are copied before each call, so a function that
        modifies its inputs cannot spoil the next case.
    expected : object
        The correct result (number, array, tuple of those). Ignored when ``compare`` decides alone.
    compare : callable, optional
        ``compare(got, expected, args) -> str | None``: a custom comparison returning the problem in
        words, or None when the result is right. Used for results that are not plain numbers
        (iterators of batches, histories ...).
    rtol, atol : float
        Tolerances of the numeric comparison.
    """

    description: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    expected: Any = None
    compare: Callable | None = None
    rtol: float = 1e-6
    atol: float = 1e-9


@dataclass
class Mistake:
    """A known mistake, given as a wrong implementation that makes it.

    When the student's result on a failing case equals ``wrong(*args)`` (and differs from the
    expected one), the check names ``message`` as the likely mistake.
    """

    message: str
    wrong: Callable


@dataclass
class CheckResult:
    """What a check found. Displays as a short report; ``passed`` tells the outcome."""

    name: str
    passed: bool
    done: bool
    lines: list
    mistake: str | None = None
    failed_case: str | None = None

    def __repr__(self) -> str:
        return "\n".join(self.lines)

    def _repr_pretty_(self, printer, cycle):  # IPython display
        printer.text(repr(self))


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(_copy(v) for v in value)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def _fmt(value, limit: int = 120) -> str:
    """A short, readable rendering of a value for feedback messages."""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    if isinstance(value, (int, np.integer, bool, np.bool_)):
        return str(value)
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, suppress=True, threshold=8, edgeitems=3):
            text = f"array of shape {value.shape}: {np.array2string(value, separator=', ')}"
    elif isinstance(value, tuple):
        text = "(" + ", ".join(_fmt(v, limit) for v in value) + ")"
    elif value is None:
        text = "None (did the function forget to return its result?)"
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare_values(got, expected, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """Compare a result with the expected one; return the difference in words, or None if equal."""
    if got is None and expected is not None:
        return "the function returned None: is a `return` statement missing?"
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)):
            return f"expected a tuple of {len(expected)} values, got {type(got).__name__}"
        if len(got) != len(expected):
            return f"expected {len(expected)} values, got {len(got)}"
        for k, (g, e) in enumerate(zip(got, expected)):
            problem = compare_values(g, e, rtol, atol)
            if problem:
                return f"value {k + 1} of the tuple: {problem}"
        return None
    if got is None:
        return "the function returned None: is a `return` statement missing?"
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected a number or an array, got {type(got).__name__}"
    e = np.asarray(expected, dtype=float)
    if g.shape != e.shape:
        return f"expected shape {e.shape}, got shape {g.shape}"
    if not np.all(np.isfinite(g) == np.isfinite(e)):
        return "the result contains nan or inf where none is expected"
    if not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
        return f"expected {_fmt(expected)}, got {_fmt(got)}"
    return None


def _call(fn, case: Case):
    return fn(*_copy(case.args), **_copy(case.kwargs))


def _not_done(name: str) -> CheckResult:
    return CheckResult(
        name=name,
        passed=False,
        done=False,
        lines=[
            f"{TODO_MARK} {name}: not done yet. Replace the line `raise NotImplementedError()` "
            "with your code, run that cell, then run this check again."
        ],
    )


def run_check(
    name: str,
    fn: Callable,
    cases: Sequence[Case],
    mistakes: Sequence[Mistake] = (),
    *,
    hint: str | None = None,
) -> CheckResult:
    """Run ``fn`` on every case and report the first failure, naming a known mistake if one matches.

    Parameters
    ----------
    name : str
        The name of the exercise, as the student knows it (usually the function name).
    fn : callable
        The student's function.
    cases : sequence of Case
    mistakes : sequence of Mistake
        Known wrong implementations, tried in order on the failing case.
    hint : str, optional
        A general hint added to any failure that matches no known mistake.
    """
    if not callable(fn):
        return CheckResult(name, False, True, [f"{FAIL_MARK} {name}: expected a function, got {type(fn).__name__}."])
    for number, case in enumerate(cases, start=1):
        label = f"case {number} of {len(cases)} ({case.description})"
        try:
            with np.errstate(all="ignore"):
                got = _call(fn, case)
        except NotImplementedError:
            return _not_done(name)
        except Exception as exc:  # the student's code failed: say so in words, no traceback
            lines = [
                f"{FAIL_MARK} {name}, {label}: your function raised {type(exc).__name__}: {exc}",
            ]
            mistake = _match_mistake(mistakes, case, got=None, exc=exc)
            if mistake:
                lines.append(f"   Likely mistake: {mistake}")
            elif hint:
                lines.append(f"   Hint: {hint}")
            return CheckResult(name, False, True, lines, mistake, case.description)
        if case.compare is not None:
            try:
                problem = case.compare(got, case.expected, case.args)
            except Exception as exc:  # a malformed result the comparison could not read
                problem = f"the result could not be read ({type(exc).__name__}: {exc})"
        else:
            problem = compare_values(got, case.expected, case.rtol, case.atol)
        if problem:
            lines = [f"{FAIL_MARK} {name}, {label}: {problem}."]
            mistake = _match_mistake(mistakes, case, got=got)
            if mistake:
                lines.append(f"   Likely mistake: {mistake}")
            elif hint:
                lines.append(f"   Hint: {hint}")
            return CheckResult(name, False, True, lines, mistake, case.description)
    return CheckResult(name, True, True, [f"{PASS_MARK} {name}: all {len(cases)} cases passed."])


def _match_mistake(mistakes, case: Case, got, exc=None) -> str | None:
    for mistake in mistakes:
        try:
            with np.errstate(all="ignore"):
                wrong = _call(mistake.wrong, case)
        except Exception as wrong_exc:
            if exc is not None and type(wrong_exc) is type(exc):
                return mistake.message
            continue
        if exc is not None or got is None:
            continue
        if case.compare is not None:
            try:
                same = case.compare(got, wrong, case.args) is None
            except Exception:
                same = False
        else:
            same = compare_values(got, wrong, case.rtol, case.atol) is None
        if same:
            return mistake.message
    return None


def summarize(results: Sequence[CheckResult]) -> str:
    """One line on a whole lab: how many exercises pass."""
    passed = sum(r.passed for r in results)
    return f"{passed} of {len(results)} exercises pass." if results else "No exercises were checked."


def is_close(a: float, b: float, rel: float = 1e-6) -> bool:
    """True when two numbers agree to a relative tolerance (used by custom comparisons)."""
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-12)
