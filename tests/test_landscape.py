"""Tests of utils.landscape: the grid equals the direct cost, closed forms are the minima, surface grids."""
import numpy as np
import pytest

from utils.costs import linear_cost, linear_cost_grad, linear_model_grad
from utils.data import make_house_data, make_linear_data
from utils.landscape import least_squares_line, linear_cost_grid, normal_equation, surface_grid


def test_linear_cost_grid_equals_the_direct_cost():
    d = make_linear_data(300, seed=0)
    b_values, w_values = np.linspace(-5, 5, 11), np.linspace(-5, 5, 7)
    J = linear_cost_grid(d.x, d.y, b_values, w_values)
    assert J.shape == (7, 11)                                   # rows = w, columns = b
    direct = linear_cost(b_values[None, :], w_values[:, None], d.x, d.y)
    np.testing.assert_allclose(J, direct, rtol=1e-12)
    assert J[2, 9] == pytest.approx(linear_cost(b_values[9], w_values[2], d.x, d.y))


def test_linear_cost_grid_is_non_negative_with_large_offsets():
    d = make_linear_data(1000, b=1e3, w=2.0, seed=1, noise_var=1e-6)
    b = np.linspace(999, 1001, 50)
    J = linear_cost_grid(d.x + 1e3, d.y, b - 2e3, np.linspace(1.9, 2.1, 50))
    assert J.min() >= 0


def test_least_squares_line_is_the_minimum():
    d = make_linear_data(300, seed=2)
    b, w = least_squares_line(d.x, d.y)
    np.testing.assert_allclose(linear_cost_grad(b, w, d.x, d.y), 0, atol=1e-10)
    np.testing.assert_allclose(np.polyfit(d.x, d.y, 1), [w, b])
    np.testing.assert_allclose(normal_equation(d.x, d.y), [b, w])


def test_normal_equation_on_house_data():
    h = make_house_data(500, seed=0)
    params = normal_equation(h.X, h.y)
    assert params.shape == (4,)
    np.testing.assert_allclose(linear_model_grad(params, h.X, h.y), 0, atol=1e-6)
    np.testing.assert_allclose(params, np.linalg.lstsq(np.c_[np.ones(500), h.X], h.y, rcond=None)[0])


def test_closed_forms_reject_degenerate_data():
    with pytest.raises(ValueError, match="at least two distinct x values"):
        least_squares_line([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="normal equation is singular"):
        normal_equation(np.c_[np.arange(5.0), 2 * np.arange(5.0)], np.arange(5.0))
    with pytest.raises(ValueError, match="x and y must be 1-D of the same length"):
        linear_cost_grid(np.zeros(3), np.zeros(2), [0.0], [0.0])


class Paraboloid:
    domain = ((-1.0, 1.0), (0.0, 2.0))

    def __call__(self, w):
        return w[..., 0] ** 2 + 10 * w[..., 1]


def test_surface_grid_orientation_rows_follow_y():
    xs, ys, Z = surface_grid(Paraboloid(), n=5)
    np.testing.assert_allclose(xs, np.linspace(-1, 1, 5))
    np.testing.assert_allclose(ys, np.linspace(0, 2, 5))
    assert Z.shape == (5, 5)
    np.testing.assert_allclose(Z, xs[None, :] ** 2 + 10 * ys[:, None])


def test_surface_grid_on_every_registered_surface():
    from utils.surfaces import SURFACES

    for surface in SURFACES.values():
        xs, ys, Z = surface_grid(surface, n=40)
        assert Z.shape == (40, 40) and np.isfinite(Z).all()
        assert Z[7, 3] == pytest.approx(surface(np.array([xs[3], ys[7]])))
    _, _, Z = surface_grid(SURFACES["bowl"], n=3, domain=((0, 2), (0, 2)))
    assert Z[2, 2] == pytest.approx(4.0)


def test_surface_grid_rejects_bad_n_and_missing_domain():
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        surface_grid(Paraboloid(), n=1)
    with pytest.raises(ValueError, match="needs a domain"):
        surface_grid(lambda w: w[..., 0], n=5)
