"""The check framework itself: it passes right answers, names known mistakes, never shows a traceback."""

import numpy as np

from utils.checks import Case, Mistake, compare_values, run_check


def mean_sq(y, p):
    return float(np.mean((y - p) ** 2))


def sum_sq(y, p):
    return float(np.sum((y - p) ** 2))


CASES = [
    Case("two examples", args=(np.array([1.0, 2.0]), np.array([0.0, 0.0])), expected=2.5),
    Case("one example", args=(np.array([3.0]), np.array([1.0])), expected=4.0),
]
MISTAKES = [Mistake("the mean is missing", sum_sq)]


def test_a_right_answer_passes():
    result = run_check("cost", mean_sq, CASES, MISTAKES)
    assert result.passed and result.done and "all 2 cases passed" in repr(result)


def test_a_known_mistake_is_named():
    result = run_check("cost", sum_sq, CASES, MISTAKES)
    assert not result.passed and result.mistake == "the mean is missing"
    assert "case 1 of 2 (two examples)" in repr(result) and "expected 2.5, got 5" in repr(result)


def test_an_unknown_mistake_reports_expected_and_got():
    result = run_check("cost", lambda y, p: 0.0, CASES, MISTAKES, hint="average the squared differences")
    assert result.mistake is None and "expected 2.5, got 0" in repr(result) and "Hint" in repr(result)


def test_not_done_yet():
    def blank(y, p):
        raise NotImplementedError()

    result = run_check("cost", blank, CASES)
    assert not result.done and "not done yet" in repr(result)


def test_an_exception_is_reported_in_words():
    result = run_check("cost", lambda y, p: y @ np.ones((3, 3)), CASES)
    assert not result.passed and "raised ValueError" in repr(result) and "Traceback" not in repr(result)


def test_inputs_are_copied_so_a_mutating_function_cannot_spoil_later_cases():
    def mutating(y, p):
        y -= p
        return float(np.mean(y ** 2))

    run_check("cost", mutating, CASES)
    assert CASES[0].args[0].tolist() == [1.0, 2.0]


def test_missing_return_and_shape_are_explained():
    assert "return" in compare_values(None, 1.0)
    assert "shape (3,)" in compare_values(np.zeros(2), np.zeros(3))
