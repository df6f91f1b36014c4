"""Tests of utils.surfaces: known minima and values, condition numbers, gradients vs finite differences."""
import numpy as np
import pytest

from utils.surfaces import SURFACES, Surface, ellipse, goldstein_price, make_ellipse, quadratic

try:
    from tests.helpers_numeric import numerical_gradient_lastaxis
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from helpers_numeric import numerical_gradient_lastaxis

NAMES = ["bowl", "ellipse", "saddle", "rosenbrock", "beale", "booth", "himmelblau", "styblinski_tang",
         "goldstein_price", "rastrigin", "six_hump_camel"]

# value at the minima, from science-facts.md (Styblinski-Tang: exact -78.332331, see test below)
MIN_VALUES = {"bowl": 0.0, "ellipse": 0.0, "rosenbrock": 0.0, "beale": 0.0, "booth": 0.0, "himmelblau": 0.0,
              "styblinski_tang": -78.332331, "goldstein_price": 3.0, "rastrigin": 0.0,
              "six_hump_camel": -1.0316}
KAPPA = {"bowl": 1.0, "ellipse": 10.0, "rosenbrock": 2508.0, "beale": 162.0, "booth": 9.0,
         "goldstein_price": 2.4, "rastrigin": 1.0, "six_hump_camel": 2.15, "styblinski_tang": 1.0}


def test_registry_has_every_surface():
    assert list(SURFACES) == NAMES
    for name, s in SURFACES.items():
        assert isinstance(s, Surface) and s.name == name and s.label
        (x0, x1), (y0, y1) = s.domain
        assert x0 < x1 and y0 < y1
        assert s.minima.ndim == 2 and s.minima.shape[1] == 2
        assert s.start.shape == (2,)
        assert x0 <= s.start[0] <= x1 and y0 <= s.start[1] <= y1


@pytest.mark.parametrize("name", [n for n in NAMES if n != "saddle"])
def test_minima_have_zero_gradient_and_the_known_value(name):
    s = SURFACES[name]
    assert len(s.minima) >= 1
    np.testing.assert_allclose(s.gradient(s.minima), 0, atol=1e-9)
    np.testing.assert_allclose(s(s.minima), MIN_VALUES[name], atol=1e-4)
    assert s.min_value == pytest.approx(MIN_VALUES[name], abs=1e-4)
    assert np.all(np.linalg.eigvalsh(s.hessian(s.minima)) > 0)       # really minima
    # nothing on a fine grid goes below the minimum
    from utils.landscape import surface_grid
    _, _, Z = surface_grid(s, n=300)
    assert Z.min() >= s.min_value - 1e-9


def test_literature_minima_coordinates():
    np.testing.assert_allclose(SURFACES["rosenbrock"].minima, [[1, 1]])
    np.testing.assert_allclose(SURFACES["beale"].minima, [[3, 0.5]])
    np.testing.assert_allclose(SURFACES["booth"].minima, [[1, 3]])
    np.testing.assert_allclose(SURFACES["goldstein_price"].minima, [[0, -1]])
    np.testing.assert_allclose(SURFACES["styblinski_tang"].minima, [[-2.903534, -2.903534]], atol=1e-6)
    np.testing.assert_allclose(SURFACES["six_hump_camel"].minima, [[0.0898, -0.7126], [-0.0898, 0.7126]],
                               atol=1e-4)
    # science-facts.md rounds to -78.33198; the exact value is 2 * min_x ½(x⁴ - 16x² + 5x) = -78.332331
    assert SURFACES["styblinski_tang"].min_value == pytest.approx(-78.33233140754, abs=1e-9)


def test_himmelblau_has_four_minima_and_a_local_maximum():
    s = SURFACES["himmelblau"]
    expected = [[3, 2], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]
    np.testing.assert_allclose(s.minima, expected, atol=1e-6)
    np.testing.assert_allclose(s(s.minima), 0, atol=1e-20)
    peak = np.array([-0.270845, -0.923039])
    np.testing.assert_allclose(s.gradient(peak), 0, atol=1e-4)
    assert np.all(np.linalg.eigvalsh(s.hessian(peak)) < 0)


@pytest.mark.parametrize("name", list(KAPPA))
def test_condition_number_at_the_minimum(name):
    assert SURFACES[name].condition_number() == pytest.approx(KAPPA[name], rel=0.01)


def test_booth_and_quadratic_hessians_are_exact():
    np.testing.assert_allclose(SURFACES["booth"].hessian([0.3, 0.1]), [[10, 8], [8, 10]])
    np.testing.assert_allclose(SURFACES["rosenbrock"].hessian([1.0, 1.0]), [[802, -400], [-400, 200]], rtol=1e-6)
    assert SURFACES["ellipse"].hessian(np.zeros((4, 3, 2))).shape == (4, 3, 2, 2)


def test_saddle_is_stationary_but_not_a_minimum():
    s = SURFACES["saddle"]
    assert s.minima.shape == (0, 2) and s.min_value is None
    np.testing.assert_allclose(s.gradient([0.0, 0.0]), 0)
    eig = np.linalg.eigvalsh(s.hessian([0.0, 0.0]))
    assert eig.min() < 0 < eig.max()
    assert s([0.0, 3.0]) < s([0.0, 0.0])
    with pytest.raises(ValueError, match="saddle has no minimum"):
        s.condition_number()


def test_goldstein_price_uses_48y_not_4y():
    # at (0, 1): A = 1 + 4*(19 - 14 + 3) = 33, B = 30 + 9*(18 + 48 + 27) = 867
    assert goldstein_price()(np.array([0.0, 1.0])) == pytest.approx(33 * 867)


def test_values_by_hand():
    assert SURFACES["rosenbrock"]([0.0, 0.0]) == pytest.approx(1.0)
    assert SURFACES["beale"]([0.0, 0.0]) == pytest.approx(1.5**2 + 2.25**2 + 2.625**2)
    assert SURFACES["booth"]([0.0, 0.0]) == pytest.approx(74.0)
    assert SURFACES["himmelblau"]([0.0, 0.0]) == pytest.approx(170.0)
    assert SURFACES["rastrigin"]([0.5, 0.0]) == pytest.approx(20.25)
    assert SURFACES["six_hump_camel"]([1.0, 1.0]) == pytest.approx(4 - 2.1 + 1 / 3 + 1 + 0)
    assert SURFACES["styblinski_tang"]([1.0, 0.0]) == pytest.approx(-5.0)
    assert SURFACES["ellipse"]([1.0, 1.0]) == pytest.approx(5.5)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(), (5,), (3, 4)])
def test_gradients_match_finite_differences(name, shape):
    s = SURFACES[name]
    rng = np.random.default_rng([NAMES.index(name), len(shape)])
    (x0, x1), (y0, y1) = s.domain
    w = np.stack([rng.uniform(x0, x1, shape), rng.uniform(y0, y1, shape)], axis=-1)
    assert s(w).shape == shape
    g = s.gradient(w)
    assert g.shape == shape + (2,)
    num = numerical_gradient_lastaxis(s, w, h=1e-5)
    scale = np.abs(num).max() + 1.0
    np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-7 * scale)


def test_inputs_are_not_mutated_and_lists_work():
    w = np.array([[0.5, -0.5], [1.0, 2.0]])
    before = w.copy()
    for s in SURFACES.values():
        s(w), s.gradient(w), s.hessian(w)
    np.testing.assert_array_equal(w, before)
    assert SURFACES["bowl"].gradient([1.0, 2.0]).tolist() == [1.0, 2.0]


def test_ellipse_factory_and_quadratic():
    s = make_ellipse(100)
    assert s.condition_number() == pytest.approx(100)
    assert ellipse(4)([1.0, 1.0]) == pytest.approx(2.5)
    q = quadratic([[2.0, 1.0], [1.0, 2.0]])
    assert q([1.0, 1.0]) == pytest.approx(3.0)
    np.testing.assert_allclose(q.gradient([1.0, 0.0]), [2.0, 1.0])
    assert q.condition_number() == pytest.approx(3.0)
    assert quadratic([[1.0, 0.0], [0.0, -1.0]]).minima.shape == (0, 2)


def test_validation_errors():
    with pytest.raises(ValueError, match=r"points must have shape \(\.\.\., 2\), got shape \(3,\)"):
        SURFACES["rosenbrock"](np.zeros(3))
    with pytest.raises(ValueError, match="kappa must be a number >= 1, got 0.5"):
        ellipse(0.5)
    with pytest.raises(ValueError, match="H must be a symmetric 2x2 matrix"):
        quadratic([[1.0, 2.0], [0.0, 1.0]])
