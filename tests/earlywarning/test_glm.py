"""The Poisson GLM (IRLS) against known fits."""

import numpy as np
import pytest

from integrity.earlywarning.glm import fit_poisson, poisson_deviance


def _dobson():
    """Dobson (1990), p. 93: the randomised controlled trial of R's ?glm example."""
    counts = np.array([18, 17, 15, 20, 10, 20, 25, 13, 12], dtype=float)
    outcome = np.tile([0, 1, 2], 3)
    treatment = np.repeat([0, 1, 2], 3)
    X = np.column_stack([np.ones(9), outcome == 1, outcome == 2, treatment == 1, treatment == 2]).astype(float)
    return X, counts


def test_matches_the_reference_fit_of_dobsons_example():
    """glm(counts ~ outcome + treatment, family = poisson()) in R: coefficients, standard
    errors and residual deviance as R prints them."""
    X, y = _dobson()
    fit = fit_poisson(X, y, ridge=0)
    assert fit.converged
    np.testing.assert_allclose(fit.coef, [3.044522, -0.4542553, -0.2929871, 0, 0], atol=1e-6)
    np.testing.assert_allclose(fit.se, [0.1708987, 0.2021708, 0.1927423, 0.2, 0.2], atol=1e-6)
    assert fit.deviance == pytest.approx(5.129141, abs=1e-5)
    assert fit.df_resid == 4


def test_group_indicators_give_the_group_means_with_exposure_offset():
    """A saturated-in-groups model: exp(coef) is each group's total count over its exposure."""
    groups = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    y = np.array([3, 0, 6, 10, 14, 0, 1, 2, 1], dtype=float)
    exposure = np.array([1, 2, 3, 4, 4, 1, 1, 1, 1], dtype=float)
    X = np.eye(3)[groups]
    fit = fit_poisson(X, y, np.log(exposure), ridge=0)
    for g in range(3):
        rows = groups == g
        assert np.exp(fit.coef[g]) == pytest.approx(y[rows].sum() / exposure[rows].sum(), rel=1e-8)


def test_score_equations_hold_at_the_solution():
    rng = np.random.default_rng(1)
    X = np.column_stack([np.ones(400), rng.normal(size=400), rng.uniform(size=400)])
    y = rng.poisson(np.exp(X @ [0.2, 0.5, -1.0]))
    fit = fit_poisson(X, y, ridge=0)
    mu = np.exp(X @ fit.coef)
    np.testing.assert_allclose(X.T @ (y - mu), 0, atol=1e-6)
    assert poisson_deviance(y.astype(float), mu) == pytest.approx(fit.deviance)


def test_recovers_simulated_coefficients_within_their_intervals():
    rng = np.random.default_rng(7)
    true = np.array([1.0, 0.8, -0.3])
    X = np.column_stack([np.ones(5000), rng.uniform(size=5000), rng.integers(0, 2, 5000)])
    fit = fit_poisson(X, rng.poisson(np.exp(X @ true)))
    assert np.all(np.abs(fit.coef - true) < 4 * fit.se)


def test_quasi_poisson_widens_intervals_for_overdispersed_counts():
    """Counts clustered beyond Poisson (gamma-mixed) get a dispersion above 1 and wider SEs."""
    rng = np.random.default_rng(3)
    X = np.column_stack([np.ones(3000), rng.uniform(size=3000)])
    mu = np.exp(X @ [1.0, 0.5]) * rng.gamma(2, 0.5, 3000)
    y = rng.poisson(mu)
    plain, quasi = fit_poisson(X, y), fit_poisson(X, y, quasi=True)
    assert quasi.dispersion > 1.2
    assert np.all(quasi.se > plain.se)
    np.testing.assert_allclose(quasi.coef, plain.coef)


def test_a_column_without_events_stays_finite():
    """A stratum with no incident at all (an all-zero column) does not break the fit."""
    X = np.eye(2)[[0, 0, 1, 1]]
    fit = fit_poisson(X, np.array([0, 0, 3, 5]))
    assert np.all(np.isfinite(fit.coef)) and fit.coef[0] < -5


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        fit_poisson(np.ones((2, 1)), np.array([1, -1]))


def test_stratified_fit_equals_the_dense_fit_with_one_intercept_per_stratum():
    """fit_poisson_strata (Schur complement) gives the dense fit's coefficients and covariance."""
    from integrity.earlywarning.glm import fit_poisson_strata

    rng = np.random.default_rng(5)
    strata = rng.integers(0, 12, 900)
    Z = rng.uniform(size=(900, 3))
    offset = np.log(rng.integers(1, 30, 900))
    y = rng.poisson(np.exp(rng.normal(-2, 0.5, 12)[strata] + Z @ [0.7, -0.2, 1.1] + offset))
    dense = fit_poisson(np.column_stack([np.eye(12)[strata], Z]), y, offset, quasi=True)
    fast = fit_poisson_strata(strata, 12, Z, y, offset, quasi=True)
    np.testing.assert_allclose(fast.coef, dense.coef, atol=1e-6)
    np.testing.assert_allclose(fast.cov, dense.cov, atol=1e-8)
    assert fast.deviance == pytest.approx(dense.deviance) and fast.dispersion == pytest.approx(dense.dispersion)
