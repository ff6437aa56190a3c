"""Steepest-descent relaxation: ensemble averages, power-law exponents, flatness of the landscape.

Pure functions on the tables written by the workflow (no I/O, no LAMMPS).

Sources
-------
P0  Nishikawa, Ozawa, Ikeda, Chaudhuri, Berthier, "Relaxation dynamics in the energy landscape of
    glass-forming liquids", PRX 12, 021001 (2022).
P1  Shimada, Shiraishi, Mizuno, Ikeda, "Instantaneous normal modes of glass-forming liquids during
    the athermal relaxation process of the steepest descent algorithm" (2024), Sec. III A.

Dynamics: zeta dr_i/dt = f_i = -dE/dr_i.  Mean squared force W = (1/N) sum_i |f_i|^2, speed
|v| = sqrt(W)/zeta (P0), energy rate (1/N) dE/dt = -W/zeta (P1 Eq. 8).  Power laws |v| ~ t^-beta,
W ~ t^-2beta (P0: beta ~ 0.85 in 3D at high T, i.e. W ~ t^-1.7, P1 Fig. 3a), and in the
fixed-W ensemble W ~ f_u^b (P1: b ~ 2 for KA-LJ at T = 2, Fig. 3b; 2.3 for harmonic spheres).

Input tables
------------
trajectory: one row per (sample, output time): ``sample, step, t, W, e_pot, v_abs``.
fixed-W:    one row per (sample, logW_target): ``sample, logW_target, t, W, e_pot, f_u,
            n_unstable, n_modes`` (configuration saved when W first drops below 10**logW_target).

Averaging conventions (chosen here, used throughout)
----------------------------------------------------
* On the time grid W and |v| are interpolated per sample as log10(value) vs log10(t); other
  columns (e_pot) as value vs log10(t).  Only inside each sample's recorded range of t > 0: no
  extrapolation, so the t = 0 row only marks the start and a sample stops contributing after
  its last recorded time; ``n_samples`` says how many samples enter each grid point.
* ``<W>`` is the arithmetic mean over samples (the physical ensemble average; P0's
  |v| = sqrt(<W>)/zeta).  For positive columns the geometric mean ``10**<log10 x>`` is reported
  too: it is what per-sample log-log fits average, and it is insensitive to the late-time
  precipitous drop of single samples.
* Power-law exponents come from least squares on log10 y vs log10 x.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

#: Columns interpolated and averaged on a log scale (strictly positive observables).
LOG_COLUMNS = ("W", "v_abs")
FIXED_COLUMNS = ("t", "W", "e_pot", "f_u")


# --------------------------------------------------------------------------- time grid


def log_time_grid(t_min: float, t_max: float, per_decade: int = 10) -> np.ndarray:
    """All times 10**(k/per_decade), k integer, with t_min <= t <= t_max.

    Decade-aligned, so grids built for different runs share their points.
    """
    if not 0 < t_min <= t_max:
        raise ValueError("need 0 < t_min <= t_max")
    eps = 1e-9
    k0 = np.ceil(per_decade * np.log10(t_min) - eps)
    k1 = np.floor(per_decade * np.log10(t_max) + eps)
    return 10.0 ** (np.arange(k0, k1 + 1) / per_decade)


def _interp_sample(t: np.ndarray, y: np.ndarray, grid: np.ndarray, log_y: bool) -> np.ndarray:
    """Interpolate one sample's y(t) at ``grid`` in log t; NaN outside its recorded range."""
    ok = (t > 0) & np.isfinite(y) & ((y > 0) if log_y else True)
    lt, yy = np.log10(t[ok]), y[ok]
    out = np.full(grid.shape, np.nan)
    if lt.size == 0:
        return out
    yy = np.log10(yy) if log_y else yy
    lg = np.log10(grid)
    inside = (lg >= lt[0] - 1e-12) & (lg <= lt[-1] + 1e-12)
    vals = np.interp(np.clip(lg[inside], lt[0], lt[-1]), lt, yy)
    out[inside] = 10.0**vals if log_y else vals
    return out


def interpolate_samples(traj: pd.DataFrame, grid, column: str) -> np.ndarray:
    """Matrix (n_samples x len(grid)) of ``column`` interpolated per sample (NaN = not covered)."""
    grid = np.asarray(grid, dtype=float)
    rows = []
    for _, g in traj.sort_values(["sample", "t"]).groupby("sample", sort=True):
        g = g.drop_duplicates("t", keep="last")
        rows.append(_interp_sample(g["t"].to_numpy(float), g[column].to_numpy(float), grid,
                                   column in LOG_COLUMNS))
    return np.array(rows).reshape(len(rows), grid.size)


def _coverage(traj: pd.DataFrame, grid: np.ndarray) -> np.ndarray:
    """Number of samples whose recorded range of t > 0 contains each grid point."""
    pos = traj[traj["t"] > 0].groupby("sample")["t"].agg(["min", "max"])
    lg = np.log10(grid)[None, :]
    lo = np.log10(pos["min"].to_numpy())[:, None] - 1e-12
    hi = np.log10(pos["max"].to_numpy())[:, None] + 1e-12
    return ((lg >= lo) & (lg <= hi)).sum(axis=0)


def _column_stats(m: np.ndarray, name: str, geometric: bool) -> dict:
    """Mean/std/sem/n over samples (axis 0) ignoring NaN; geometric mean if requested."""
    n = np.isfinite(m).sum(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN or single-sample columns
        std = np.nanstd(m, axis=0, ddof=1)
        out = {f"{name}_mean": np.nanmean(m, axis=0), f"{name}_std": std,
               f"{name}_sem": std / np.sqrt(n), f"{name}_n": n}
        if geometric:
            lm = np.log10(m)
            out[f"{name}_gmean"] = 10.0 ** np.nanmean(lm, axis=0)
            out[f"log10_{name}_std"] = np.nanstd(lm, axis=0, ddof=1)
    return out


def ensemble_on_log_grid(traj: pd.DataFrame, grid, columns=("W", "e_pot", "v_abs")) -> pd.DataFrame:
    """Fixed-time ensemble averages of SD trajectories on a common log-t grid.

    Each sample is interpolated onto ``grid`` inside its own recorded range only (see module
    docstring), then averaged over the samples present.  Returned columns: ``t``,
    ``n_samples`` (samples whose time range covers t) and, for every ``c`` in ``columns``:
    ``c_mean, c_std, c_sem, c_n`` (arithmetic mean, std with ddof=1, std/sqrt(n), number of
    finite values), plus for W and v_abs ``c_gmean`` (10**mean log10 c) and ``log10_c_std``.
    Fixed-time averages mix converged and migrating samples at late times (P1 Sec. III A 1);
    use the fixed-W ensemble there.
    """
    grid = np.asarray(grid, dtype=float)
    out = {"t": grid, "n_samples": _coverage(traj, grid)}
    for c in columns:
        out.update(_column_stats(interpolate_samples(traj, grid, c), c, c in LOG_COLUMNS))
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- fixed-W ensemble


def fixed_w_averages(fixed: pd.DataFrame) -> pd.DataFrame:
    """Averages over samples at each fixed-W level (P1 Sec. III A 1, Fig. 3).

    Columns: ``logW_target, n_samples`` and for x in t, W, e_pot, f_u: ``x_mean, x_sem``
    (arithmetic, sem = std(ddof=1)/sqrt(n)); plus ``log10_t_mean, log10_t_sem, log10_W_mean,
    log10_W_sem`` (means of log10, i.e. geometric means, used for log-log derivatives).
    Rows ordered by decreasing logW_target, i.e. in time order.
    """
    d = fixed.assign(log10_t=np.log10(fixed["t"].where(fixed["t"] > 0)),
                     log10_W=np.log10(fixed["W"].where(fixed["W"] > 0)))
    g = d.groupby("logW_target")
    out = pd.DataFrame({"n_samples": g["sample"].nunique()})
    for x in (*FIXED_COLUMNS, "log10_t", "log10_W"):
        out[f"{x}_mean"] = g[x].mean()
        out[f"{x}_sem"] = g[x].sem()
    return out.reset_index().sort_values("logW_target", ascending=False, ignore_index=True)


# --------------------------------------------------------------------------- power-law fits


def fit_power_law(x, y, window=None) -> dict:
    """Least-squares fit of log10 y = log10 A + p log10 x over x in ``window`` (inclusive).

    Only points with x > 0, y > 0 are used.  Returns ``exponent`` p, ``exponent_err``
    (regression standard error), ``prefactor`` A, ``log10_prefactor_err`` and ``n_points``;
    NaNs when fewer than 2 points.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = (x > 0) & (y > 0) & np.isfinite(x) & np.isfinite(y)
    if window is not None:
        ok &= (x >= window[0]) & (x <= window[1])
    n = int(ok.sum())
    if n < 2 or np.ptp(x[ok]) == 0:
        return {"exponent": np.nan, "exponent_err": np.nan, "prefactor": np.nan,
                "log10_prefactor_err": np.nan, "n_points": n}
    lx, ly = np.log10(x[ok]), np.log10(y[ok])
    dx = lx - lx.mean()
    sxx = dx @ dx
    slope = (dx @ ly) / sxx
    icpt = ly.mean() - slope * lx.mean()
    res = ly - (slope * lx + icpt)
    s2 = (res @ res) / (n - 2) if n > 2 else np.nan  # residual variance
    err, ierr = np.sqrt(s2 / sxx), np.sqrt(s2 * (1 / n + lx.mean() ** 2 / sxx))
    return {"exponent": slope, "exponent_err": err, "prefactor": 10.0**icpt,
            "log10_prefactor_err": ierr, "n_points": n}


def _per_sample_betas(traj: pd.DataFrame, window, min_points: int) -> pd.DataFrame:
    rows = []
    for s, g in traj.groupby("sample", sort=True):
        fw = fit_power_law(g["t"], g["W"], window)
        fv = fit_power_law(g["t"], g["v_abs"], window)
        if fw["n_points"] >= min_points:
            rows.append({"sample": s, "beta": -fw["exponent"] / 2, "beta_v": -fv["exponent"],
                         "n_points": fw["n_points"]})
    return pd.DataFrame(rows, columns=["sample", "beta", "beta_v", "n_points"])


def _mean_err(x: pd.Series) -> tuple[float, float]:
    n = x.count()
    return float(x.mean()), (float(x.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan)


def fit_relaxation_exponent(traj: pd.DataFrame, window, per_decade: int = 10,
                            min_points: int = 3, min_coverage: float = 1.0) -> dict:
    """Exponent beta of |v| ~ t^-beta, W ~ t^-2beta (P0; P1 Fig. 3a: W ~ t^-1.7, beta ~ 0.85).

    Per sample: fit log W vs log t on the raw output times in ``window = (t1, t2)`` -> beta_s =
    -slope/2, and independently log |v| vs log t -> beta_v,s = -slope (identical to beta_s
    when v_abs = sqrt(W)/zeta).  Samples with fewer than ``min_points`` points in the window are
    skipped.  ``beta``/``beta_v`` = mean over samples, ``*_err`` = std(ddof=1)/sqrt(n).
    Ensemble: fit of <W>(t) (``beta_ens``, arithmetic mean), of 10**<log10 W> (``beta_ens_geo``)
    and of <|v|>(t) (``beta_v_ens``) on ``log_time_grid(t1, t2, per_decade)``, keeping only grid
    points covered by at least ``min_coverage`` of the fitted samples; ``*_ens_err`` are
    regression standard errors.  ``W_prefactor_ens`` / ``v_prefactor_ens`` give the fitted
    amplitudes (<W> = A t^-2beta_ens, <|v|> = B t^-beta_v_ens).  ``per_sample`` holds the
    per-sample table (sample, beta, beta_v, n_points).
    """
    t1, t2 = window
    per = _per_sample_betas(traj, (t1, t2), min_points)
    beta, beta_err = _mean_err(per["beta"])
    beta_v, beta_v_err = _mean_err(per["beta_v"])
    ens = ensemble_on_log_grid(traj[traj["sample"].isin(per["sample"])],
                               log_time_grid(t1, t2, per_decade), ("W", "v_abs"))
    ens = ens[ens["n_samples"] >= min_coverage * len(per)]
    fw = fit_power_law(ens["t"], ens["W_mean"])
    fg = fit_power_law(ens["t"], ens["W_gmean"])
    fv = fit_power_law(ens["t"], ens["v_abs_mean"])
    return {"beta": beta, "beta_err": beta_err, "beta_v": beta_v, "beta_v_err": beta_v_err,
            "beta_ens": -fw["exponent"] / 2, "beta_ens_err": fw["exponent_err"] / 2,
            "beta_ens_geo": -fg["exponent"] / 2, "beta_ens_geo_err": fg["exponent_err"] / 2,
            "beta_v_ens": -fv["exponent"], "beta_v_ens_err": fv["exponent_err"],
            "W_prefactor_ens": fw["prefactor"], "v_prefactor_ens": fv["prefactor"],
            "window": (t1, t2), "n_samples": len(per), "n_grid_points": len(ens),
            "per_sample": per}


# --------------------------------------------------------------------------- beta(T), P0 Fig. 2

#: P0 Fig. 2 / Sec. III: beta at high T (and T -> inf), universal across models, by dimension
BETA_HIGH_T_P0 = {2: 0.92, 3: 0.85}


def beta_harmonic(dim: int) -> float:
    """Harmonic limit of |v| ~ t^-beta (P0 App. B): for a harmonic system quenched from a thermal
    state, c_a(t) = c_a(0) e^{-lambda_a t} (zeta = 1), <c_a^2> = T/lambda_a, so
    <|v|^2>(t) = (T/N) sum_a lambda_a e^{-2 lambda_a t} = T int dlambda rho(lambda) lambda e^{-2 lambda t};
    Debye g(omega) ~ omega^{D-1} gives rho(lambda) ~ lambda^{D/2-1}, hence |v|^2 ~ t^{-(D/2+1)}
    and beta_harm = D/4 + 1/2 (1 in 2D, 1.25 in 3D; quasi-localised modes are subdominant for
    D < 5)."""
    if dim not in (2, 3):
        raise ValueError(f"dim must be 2 or 3, got {dim!r}")
    return dim / 4.0 + 0.5


def sub_windows(window, decades: float = 1.0, step: float = 0.5) -> list[tuple[float, float]]:
    """Windows of ``decades`` decades of t sliding by ``step`` decades through ``window``, the
    last one ending at t2 (the whole window when it spans at most ``decades``)."""
    t1, t2 = window
    if not 0 < t1 < t2:
        raise ValueError(f"need a window 0 < t1 < t2, got {window}")
    span = np.log10(t2 / t1)
    if span <= decades + 1e-9:
        return [(float(t1), float(t2))]
    starts = list(np.arange(0.0, span - decades - 1e-9, step)) + [span - decades]
    return [(float(t1 * 10**a), float(t1 * 10 ** (a + decades))) for a in starts]


def fit_beta_bootstrap(traj: pd.DataFrame, window, per_decade: int = 10, n_boot: int = 1000,
                       seed: int = 0, decades: float = 1.0) -> dict:
    """beta of P0's <|v|>(t) ~ t^-beta (P0 Sec. III, Fig. 2; <|v|> = mean over samples of
    |v| = [(1/N) sum_i |dr_i/dt|^2]^(1/2)) on the time ``window``, with errors.

    Each sample's |v|(t) is interpolated on ``log_time_grid(window, per_decade)`` (its own
    recorded range only), averaged over samples, and log10 <|v|> is fitted against log10 t
    (``fit_power_law``). ``beta_err``: standard deviation over ``n_boot`` bootstrap
    resamplings of whole samples (``numpy.random.default_rng(seed)``; NaN with one sample);
    ``beta_fit_err``: regression standard error. ``windows``: the same fit (and bootstrap) on
    ``sub_windows(window, decades)`` (local exponents: P0 reads beta off the intermediate
    algebraic regime, before the finite-size cutoff), and ``beta_window_spread`` = half the
    range of those local betas (a systematic error of the window choice)."""
    grid = log_time_grid(*window, per_decade)
    v = interpolate_samples(traj, grid, "v_abs")
    n = v.shape[0]
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n)) if n > 1 else np.zeros((0, n), int)

    def beta_of(rows, lo, hi):
        sel = (grid >= lo * (1 - 1e-9)) & (grid <= hi * (1 + 1e-9))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            fit = fit_power_law(grid[sel], np.nanmean(v[rows][:, sel], axis=0))
        return -fit["exponent"], fit["exponent_err"], fit["n_points"]

    def with_errors(lo, hi):
        b, fit_err, npts = beta_of(np.arange(n), lo, hi)
        boots = np.array([beta_of(r, lo, hi)[0] for r in idx])
        ok = np.isfinite(boots)
        err = float(np.std(boots[ok], ddof=1)) if ok.sum() > 1 else np.nan
        return {"t_lo": lo, "t_hi": hi, "beta": b, "beta_err": err, "beta_fit_err": fit_err,
                "n_points": npts}

    whole = with_errors(*window)
    subs = pd.DataFrame([with_errors(lo, hi) for lo, hi in sub_windows(window, decades)])
    spread = float(0.5 * np.ptp(subs["beta"])) if subs["beta"].notna().all() and len(subs) > 1 else 0.0
    return {**whole, "n_samples": n, "n_boot": len(idx), "windows": subs,
            "beta_window_spread": spread}


# --------------------------------------------------------------------------- W versus f_u


def fu_level_means(fixed: pd.DataFrame, window=None) -> pd.DataFrame:
    """Per fixed-W level, log-means over the rows with f_u > 0 (and W > 0).

    ``window = (logW_lo, logW_hi)`` keeps levels with logW_lo <= logW_target <= logW_hi.
    Columns: ``logW_target, log10_W, log10_f_u, n_samples`` (rows with f_u > 0),
    ``n_total`` (all rows of the level).
    """
    d = fixed
    if window is not None:
        d = d[d["logW_target"].between(*window)]
    n_total = d.groupby("logW_target")["sample"].size()
    d = d[(d["f_u"] > 0) & (d["W"] > 0)]
    g = d.assign(log10_W=np.log10(d["W"]), log10_f_u=np.log10(d["f_u"])).groupby("logW_target")
    out = pd.DataFrame({"log10_W": g["log10_W"].mean(), "log10_f_u": g["log10_f_u"].mean(),
                        "n_samples": g["sample"].nunique()})
    out["n_total"] = n_total.reindex(out.index)
    return out.reset_index().sort_values("logW_target", ascending=False, ignore_index=True)


def _level_sums(fixed: pd.DataFrame, window) -> tuple[np.ndarray, ...]:
    """Per (sample, level) sums of log10 W, log10 f_u and counts over rows with f_u > 0."""
    d = fixed if window is None else fixed[fixed["logW_target"].between(*window)]
    d = d[(d["f_u"] > 0) & (d["W"] > 0)]
    if d.empty:  # no unstable mode at any level in the window (e.g. a deep glass): no fit
        z = np.zeros((fixed["sample"].nunique(), 0))
        return z, z, z
    d = d.assign(lw=np.log10(d["W"]), lf=np.log10(d["f_u"]), one=1.0)
    piv = d.pivot_table(index="sample", columns="logW_target", values=["lw", "lf", "one"],
                        aggfunc="sum", fill_value=0.0)
    piv = piv.reindex(np.sort(fixed["sample"].unique()), fill_value=0.0)
    return piv["lw"].to_numpy(), piv["lf"].to_numpy(), piv["one"].to_numpy()


def _fit_b(lw: np.ndarray, lf: np.ndarray) -> tuple[float, float]:
    """(b, c) of W = c f_u^b from log f_u = (1/b) log W + i  (W is the controlled variable)."""
    ok = np.isfinite(lw) & np.isfinite(lf)
    if ok.sum() < 2 or np.ptp(lw[ok]) == 0:
        return np.nan, np.nan
    slope, icpt = np.polyfit(lw[ok], lf[ok], 1)
    return 1.0 / slope, 10.0 ** (-icpt / slope)


def fit_w_vs_fu(fixed: pd.DataFrame, window=None, n_boot: int = 1000, seed: int = 0) -> dict:
    """Exponent b of W ∝ f_u^b in the fixed-W ensemble (P1 Fig. 3b, 4b; Eq. 10 uses b).

    Uses only rows with f_u > 0.  At each level (``window = (logW_lo, logW_hi)`` on
    logW_target, inclusive) take the geometric means of W and f_u over samples (as
    ``fu_level_means``) and regress log10 <f_u> on log10 <W> (W is fixed by construction and f_u
    fluctuates, so f_u is the dependent variable): slope = 1/b, W = c f_u^b.  ``b_err`` and
    ``c_err_log10`` are standard deviations over ``n_boot`` bootstrap resamplings of whole
    samples (``numpy.random.default_rng(seed)``).  Returns ``b, b_err, c, c_err_log10,
    n_samples, n_levels, window``.
    """
    sw, sf, cnt = _level_sums(fixed, window)
    with np.errstate(invalid="ignore", divide="ignore"):
        b, c = _fit_b(sw.sum(0) / cnt.sum(0), sf.sum(0) / cnt.sum(0))
        n = sw.shape[0]
        wts = np.random.default_rng(seed).multinomial(n, np.full(n, 1.0 / n), size=n_boot)
        nb = wts @ cnt
        boots = np.array([_fit_b(*x) for x in zip((wts @ sw) / nb, (wts @ sf) / nb)])
    boots = boots.reshape(-1, 2)

    def spread(x):
        return float(np.nanstd(x, ddof=1)) if np.isfinite(x).sum() > 1 else np.nan

    return {"b": b, "b_err": spread(boots[:, 0]), "c": c,
            "c_err_log10": spread(np.log10(boots[:, 1])),
            "n_samples": n, "n_levels": int((cnt.sum(0) > 0).sum()), "window": window}


# --------------------------------------------------------------------------- flatness


def flatness(fixed: pd.DataFrame, fit: dict | None = None, zeta: float = 1.0) -> pd.DataFrame:
    """f_u-derivative of the energy per particle, d(V/N)/df_u, vs W (P1 Eqs. 7-10).

    Built from ``fixed_w_averages``; one row per pair of consecutive levels k, k+1 (time order)
    at the midpoint ``W_mid = 10**((<log W>_k + <log W>_{k+1})/2)``, ``t_mid`` likewise from
    <log10 t>.  Columns:

    * ``dVdfu_direct`` (estimator a, P1 Eq. 7): (<e_pot>_{k+1} - <e_pot>_k) /
      (<f_u>_{k+1} - <f_u>_k), arithmetic ensemble means (f_u = 0 rows included).
    * ``dlogW_dlogt`` = Δ<log10 W>/Δ<log10 t> and ``dWdt = dlogW_dlogt * W_mid / t_mid``:
      the time derivative from the fixed-W crossing times (exact for W = A t^-nu).
    * ``dVdfu_eq10`` (estimator b, P1 Eq. 10; Eq. 9 when b = 2): W_mid^(2-1/b) / |dWdt|, the
      scaling form of the paper (no prefactor).
    * ``dVdfu_eq10_full``: the same with the prefactor restored, b c^(1/b) W^(2-1/b) /
      (zeta |dW/dt|), from Eq. 8 (d(V/N)/dt = -W/zeta) and f_u = (W/c)^(1/b); comparable in
      value to ``dVdfu_direct``.

    ``fit`` is a dict with ``b`` and ``c`` (e.g. from ``fit_w_vs_fu``); if None it is computed
    with ``fit_w_vs_fu(fixed)``.  Also returned: ``logW_target_hi, logW_target_lo, W_mid,
    t_mid, b, n_samples`` (min over the two levels).
    """
    fit = fit_w_vs_fu(fixed) if fit is None else fit
    b, c = fit["b"], fit["c"]
    a = fixed_w_averages(fixed)
    a = a[np.isfinite(a["log10_W_mean"]) & np.isfinite(a["log10_t_mean"])].reset_index(drop=True)
    hi, lo = a.iloc[:-1].reset_index(drop=True), a.iloc[1:].reset_index(drop=True)
    lw = (hi["log10_W_mean"] + lo["log10_W_mean"]) / 2
    lt = (hi["log10_t_mean"] + lo["log10_t_mean"]) / 2
    slope = (lo["log10_W_mean"] - hi["log10_W_mean"]) / (lo["log10_t_mean"] - hi["log10_t_mean"])
    w_mid, t_mid = 10.0**lw, 10.0**lt
    dwdt = slope * w_mid / t_mid
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = (lo["e_pot_mean"] - hi["e_pot_mean"]) / (lo["f_u_mean"] - hi["f_u_mean"])
    eq10 = w_mid ** (2 - 1 / b) / np.abs(dwdt)
    return pd.DataFrame({
        "logW_target_hi": hi["logW_target"], "logW_target_lo": lo["logW_target"],
        "W_mid": w_mid, "t_mid": t_mid, "dlogW_dlogt": slope, "dWdt": dwdt,
        "dVdfu_direct": direct.replace([np.inf, -np.inf], np.nan),
        "dVdfu_eq10": eq10, "dVdfu_eq10_full": b * c ** (1 / b) * eq10 / zeta, "b": b,
        "n_samples": np.minimum(hi["n_samples"], lo["n_samples"]),
    })
