"""A Poisson GLM with log link fitted by iteratively reweighted least squares (numpy only;
statsmodels is not a dependency). Standard errors from the inverse Fisher information,
optionally scaled by the Pearson dispersion (quasi-Poisson) when counts vary more than a
Poisson allows, as incidents clustered in institutions do."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PoissonFit:
    coef: np.ndarray
    cov: np.ndarray  # covariance of coef (already scaled by the dispersion if asked)
    deviance: float
    dispersion: float  # Pearson chi-square / residual df (1 for a plain Poisson fit)
    df_resid: int
    iterations: int
    converged: bool

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.clip(np.diag(self.cov), 0, None))

    def linear(self, X: np.ndarray, offset: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Linear predictor and its standard error for rows of X."""
        eta = X @ self.coef + (0 if offset is None else offset)
        se = np.sqrt(np.clip(((X @ self.cov) * X).sum(axis=1), 0, None))
        return eta, se


def poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2 * np.sum(term - (y - mu)))


def fit_poisson(X: np.ndarray, y: np.ndarray, offset: np.ndarray | None = None, *, quasi: bool = False,
                max_iter: int = 100, tol: float = 1e-10, ridge: float = 1e-8) -> PoissonFit:
    """Maximise the Poisson likelihood of y ~ exp(X b + offset). ``ridge``: a tiny
    penalty that keeps a column with no events (an all-zero field in a stratum) finite
    instead of drifting to minus infinity; it does not move a fit that exists."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, p = X.shape
    off = np.zeros(n) if offset is None else np.asarray(offset, dtype=float)
    if np.any(y < 0):
        raise ValueError("건수는 음수일 수 없습니다")
    mu = y + 0.5
    eta = np.log(mu)
    coef = np.zeros(p)
    deviance = poisson_deviance(y, mu)
    converged, iterations = False, 0
    penalty = ridge * np.eye(p)
    for iterations in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
        z = eta - off + (y - mu) / mu
        XtW = X.T * mu
        coef = np.linalg.solve(XtW @ X + penalty, XtW @ z)
        eta = np.clip(X @ coef + off, -30, 30)
        mu = np.exp(eta)
        new = poisson_deviance(y, mu)
        if abs(new - deviance) <= tol * (abs(new) + 0.1):
            deviance, converged = new, True
            break
        deviance = new
    info = (X.T * mu) @ X + penalty
    cov = np.linalg.inv(info)
    df = max(n - p, 1)
    dispersion = float(np.sum((y - mu) ** 2 / mu) / df) if quasi else 1.0
    if quasi:
        cov = cov * max(dispersion, 1.0)  # never narrower than Poisson
    return PoissonFit(coef, cov, deviance, dispersion, n - p, iterations, converged)


def fit_poisson_strata(strata: np.ndarray, n_strata: int, X: np.ndarray, y: np.ndarray,
                       offset: np.ndarray | None = None, *, quasi: bool = False, max_iter: int = 100,
                       tol: float = 1e-10, ridge: float = 1e-8) -> PoissonFit:
    """The same fit for a design [one intercept per stratum | X] without building the
    one-hot block: the normal equations are solved through the Schur complement of the
    (diagonal) stratum block, so hundreds of strata cost no more than a few covariates.
    ``strata``: each row's stratum (0 … n_strata-1). Coefficients: the strata's intercepts,
    then X's; the covariance covers both."""
    strata = np.asarray(strata, dtype=np.intp)
    X = np.asarray(X, dtype=float).reshape(len(strata), -1)
    y = np.asarray(y, dtype=float)
    n, p = X.shape
    off = np.zeros(n) if offset is None else np.asarray(offset, dtype=float)
    if np.any(y < 0):
        raise ValueError("건수는 음수일 수 없습니다")

    def blocks(w):
        d = np.bincount(strata, weights=w, minlength=n_strata) + ridge
        b = np.zeros((n_strata, p))
        np.add.at(b, strata, X * w[:, None])
        c = (X.T * w) @ X + ridge * np.eye(p)
        return d, b, c

    mu = y + 0.5
    eta = np.log(mu)
    deviance = poisson_deviance(y, mu)
    converged, iterations = False, 0
    a, beta = np.zeros(n_strata), np.zeros(p)
    for iterations in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
        z = eta - off + (y - mu) / mu
        d, b, c = blocks(mu)
        ra = np.bincount(strata, weights=mu * z, minlength=n_strata)
        rb = X.T @ (mu * z)
        schur = c - (b.T / d) @ b
        beta = np.linalg.solve(schur, rb - b.T @ (ra / d))
        a = (ra - b @ beta) / d
        eta = np.clip(a[strata] + X @ beta + off, -30, 30)
        mu = np.exp(eta)
        new = poisson_deviance(y, mu)
        if abs(new - deviance) <= tol * (abs(new) + 0.1):
            deviance, converged = new, True
            break
        deviance = new
    d, b, c = blocks(mu)
    s_inv = np.linalg.inv(c - (b.T / d) @ b)
    db = b / d[:, None]  # D⁻¹B
    cov_ab = -db @ s_inv
    cov_aa = np.diag(1 / d) + db @ s_inv @ db.T
    cov = np.block([[cov_aa, cov_ab], [cov_ab.T, s_inv]])
    df = max(n - n_strata - p, 1)
    dispersion = float(np.sum((y - mu) ** 2 / mu) / df) if quasi else 1.0
    if quasi:
        cov = cov * max(dispersion, 1.0)
    return PoissonFit(np.concatenate([a, beta]), cov, deviance, dispersion, n - n_strata - p, iterations, converged)
