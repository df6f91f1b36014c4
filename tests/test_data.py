"""Tests of utils.data: generators (determinism, ground truth, statistics) and the mini-batch iterator."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.data import HouseData, LinearData, make_house_data, make_linear_data, minibatches, standardize


# ---------------------------------------------------------------- linear data
def test_linear_data_shapes_and_given_ground_truth():
    d = make_linear_data(20, b=1.5, w=-2.0, seed=0)
    assert isinstance(d, LinearData)
    assert d.x.shape == d.y.shape == (20,)
    assert (d.b_true, d.w_true, d.x_var, d.noise_var) == (1.5, -2.0, 5.0, 10.0)
    assert d.m == 20


def test_linear_data_is_deterministic_with_a_seed():
    a, b = make_linear_data(300, seed=42), make_linear_data(300, seed=42)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert (a.b_true, a.w_true) == (b.b_true, b.w_true)
    c = make_linear_data(300, seed=43)
    assert not np.array_equal(a.x, c.x)


def test_linear_data_ground_truth_drawn_in_range():
    truths = np.array([[d.b_true, d.w_true] for d in (make_linear_data(1, seed=s) for s in range(200))])
    assert truths.min() >= -4 and truths.max() <= 4
    assert truths.min() < -3 and truths.max() > 3           # spread over the whole interval


def test_linear_data_statistics_match_the_model():
    d = make_linear_data(100_000, b=2.0, w=3.0, seed=1)
    assert abs(d.x.mean()) < 0.03
    assert d.x.var() == pytest.approx(5.0, rel=0.02)
    residual = d.y - (2.0 + 3.0 * d.x)
    assert residual.var() == pytest.approx(10.0, rel=0.02)
    assert abs(residual.mean()) < 0.05


def test_linear_data_other_variances_and_m_one():
    d = make_linear_data(1, seed=0, x_var=1.0, noise_var=0.0)
    assert d.x.shape == (1,)
    np.testing.assert_allclose(d.y, d.b_true + d.w_true * d.x)


@pytest.mark.parametrize("m", [0, -3, 2.5, "10", True])
def test_linear_data_rejects_bad_m(m):
    with pytest.raises(ValueError, match="m must be an integer in 1"):
        make_linear_data(m)


def test_linear_data_rejects_negative_variance():
    with pytest.raises(ValueError, match="x_var and noise_var must be >= 0"):
        make_linear_data(10, noise_var=-1.0)


# ---------------------------------------------------------------- house data
def test_house_data_is_plausible_and_documented():
    h = make_house_data(2000, seed=0)
    assert isinstance(h, HouseData)
    assert h.X.shape == (2000, 3) and h.y.shape == (2000,)
    assert h.feature_names == ("floor area", "bedrooms", "ceiling height")
    area, bedrooms, ceiling = h.X.T
    assert 30 <= area.min() and area.max() <= 250
    assert set(np.unique(bedrooms)) <= {1, 2, 3, 4, 5, 6}
    assert 2.3 <= ceiling.min() and ceiling.max() <= 3.3
    assert np.corrcoef(area, bedrooms)[0, 1] > 0.6               # correlated features
    assert 250 < h.y.mean() < 500                                   # k€
    noise = h.y - h.true_bias - h.X @ h.true_weights
    assert noise.std() == pytest.approx(h.noise_std, rel=0.05)
    np.testing.assert_allclose(h.true_weights, [2.5, 10.0, 30.0])
    assert h.m == 2000


def test_house_data_is_deterministic_with_a_seed():
    a, b = make_house_data(50, seed=3), make_house_data(50, seed=3)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)


def test_house_data_rejects_bad_m():
    with pytest.raises(ValueError, match="m must be an integer"):
        make_house_data(0)


# ---------------------------------------------------------------- standardize
def test_standardize_gives_zero_mean_unit_std_and_inverts():
    X = make_house_data(100, seed=0).X
    Xs, mean, std = standardize(X)
    np.testing.assert_allclose(Xs.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Xs.std(axis=0), 1)
    np.testing.assert_allclose(Xs * std + mean, X)


def test_standardize_constant_column_and_1d():
    Xs, mean, std = standardize(np.array([[1.0, 5.0], [3.0, 5.0]]))
    np.testing.assert_allclose(Xs, [[-1, 0], [1, 0]])
    np.testing.assert_allclose(std, [1, 1])
    xs, _, _ = standardize([1.0, 2.0, 3.0])
    assert xs.shape == (3,)


def test_standardize_rejects_bad_shape():
    with pytest.raises(ValueError, match="X must have shape"):
        standardize(np.zeros((2, 2, 2)))


# ---------------------------------------------------------------- minibatches
def test_minibatches_in_order_keeps_last_partial_batch():
    batches = list(minibatches(7, 3))
    assert [b.tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6]]


def test_minibatches_drop_last():
    assert [b.tolist() for b in minibatches(7, 3, drop_last=True)] == [[0, 1, 2], [3, 4, 5]]
    assert len(list(minibatches(6, 3, drop_last=True))) == 2


def test_minibatches_full_batch_and_sgd():
    assert [b.tolist() for b in minibatches(4, 4)] == [[0, 1, 2, 3]]
    assert [b.tolist() for b in minibatches(3, 1)] == [[0], [1], [2]]


def test_minibatches_shuffle_is_seeded():
    a = np.concatenate(list(minibatches(50, 8, shuffle=True, seed=1)))
    b = np.concatenate(list(minibatches(50, 8, shuffle=True, seed=1)))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, np.arange(50))


def test_minibatches_generator_gives_a_new_order_each_epoch():
    rng = np.random.default_rng(0)
    e1 = np.concatenate(list(minibatches(30, 4, shuffle=True, seed=rng)))
    e2 = np.concatenate(list(minibatches(30, 4, shuffle=True, seed=rng)))
    assert not np.array_equal(e1, e2)


@pytest.mark.parametrize("m, batch_size, match", [
    (10, 0, r"batch_size must be an integer in 1\.\.m=10, got 0"),
    (10, 11, r"batch_size must be an integer in 1\.\.m=10, got 11"),
    (10, 2.0, "batch_size must be an integer"),
    (10, None, "batch_size must be an integer"),
    (0, 1, "m must be an integer in 1"),
])
def test_minibatches_rejects_impossible_sizes_when_called(m, batch_size, match):
    with pytest.raises(ValueError, match=match):
        minibatches(m, batch_size)       # raises before iterating


@settings(max_examples=100, deadline=None)
@given(m=st.integers(1, 200), data=st.data(), shuffle=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_minibatches_cover_every_index_once_per_epoch(m, data, shuffle, seed):
    batch_size = data.draw(st.integers(1, m))
    batches = list(minibatches(m, batch_size, shuffle=shuffle, seed=seed))
    assert all(len(b) == batch_size for b in batches[:-1])
    assert 1 <= len(batches[-1]) <= batch_size
    assert sorted(np.concatenate(batches).tolist()) == list(range(m))
    kept = list(minibatches(m, batch_size, shuffle=shuffle, seed=seed, drop_last=True))
    assert len(kept) == m // batch_size and all(len(b) == batch_size for b in kept)
    assert len(set(np.concatenate(kept or [np.array([], int)]).tolist())) == (m // batch_size) * batch_size
