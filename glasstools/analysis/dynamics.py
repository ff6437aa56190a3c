"""Single-particle dynamics: self-intermediate scattering function, MSD, tau_alpha, S(q) peak.

Pure functions of unwrapped positions ``pos`` with shape (frames, N, D), frames equally spaced
in time (the caller supplies the lag times t_k = k * dt_frame). Time averages run over origins
t_0 = 0, s, 2s, ... (``origin_stride`` = s) with t_0 + k inside the run.

Self-intermediate scattering function (e.g. Kob & Andersen, PRE 52, 4134 (1995); P2, P4):

    F_s(q, t) = < (1/N_sel) sum_{i in sel} exp(i q . [r_i(t_0 + t) - r_i(t_0)]) >_{t_0}

Two isotropic averages over the direction of q are offered (``method``):

* ``"axes"`` (default, the usual MD estimator): q along x, y and z (and -q, so the real part),
  F_s = < (1/(N D)) sum_i sum_alpha cos(q dr_i,alpha) >. For displacements that are Gaussian
  in each direction with variance <dx^2> this is exactly exp(-q^2 <dx^2> / 2).
* ``"isotropic"``: the exact average over all directions of q, sin(q |dr|) / (q |dr|) in 3D
  and J_0(q |dr|) in 2D. For isotropic Gaussian displacements it is again exp(-q^2 <dx^2>/2).

Selections (``select``): a boolean mask of shape (N,), or (frames, N) evaluated at each time
origin (needed with swap Monte Carlo, where "the larger particles" changes as diameters move).

MSD(t) = < (1/N_sel) sum_i |r_i(t_0 + t) - r_i(t_0)|^2 >_{t_0}.

tau_alpha: the first time F_s(q, t) falls to ``threshold`` (e^-1 as in P2; P4 uses 0.2),
linear interpolation of F_s in ln t between the bracketing points; NaN and ``reached = False``
if F_s never falls that low (then ``lower_bound`` = the last lag time: tau_alpha > lower_bound).

D (``diffusion_coefficient``): the long-time slope of the MSD, MSD(t) -> 2 D_dim D t (Einstein;
P4 Fig. 9b), by least squares of MSD against t over a stated window [t_lo, t_hi]; the window must
lie in the diffusive regime (MSD >~ a few a_0^2), which the caller states with the result.

q is usually the first peak of the static structure factor S(q) (P4: of the largest species);
``first_peak_q`` computes S(q) on the reciprocal lattice of the periodic box,
S(q) = |sum_j exp(-i q . r_j)|^2 / N_sel, q = 2 pi n / L (n integer vectors), averaged in shells
of |q|, and returns the |q| of its maximum above ``q_min``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def _check_positions(pos) -> np.ndarray:
    pos = np.asarray(pos, float)
    if pos.ndim != 3:
        raise ValueError(f"positions must have shape (frames, N, D), got {pos.shape}")
    return pos


def _selection(select, frames: int, n: int) -> np.ndarray:
    """Boolean (frames, N) mask (a fixed (N,) mask is broadcast over frames)."""
    if select is None:
        return np.ones((frames, n), bool)
    sel = np.asarray(select, bool)
    if sel.shape == (n,):
        return np.broadcast_to(sel, (frames, n))
    if sel.shape == (frames, n):
        return sel
    raise ValueError(f"select must have shape ({n},) or ({frames}, {n}), got {sel.shape}")


def _origins(frames: int, lag: int, stride: int) -> np.ndarray:
    return np.arange(0, frames - lag, max(1, int(stride)))


def _lags(frames: int, lags) -> np.ndarray:
    if lags is None:
        return np.arange(frames)
    lags = np.asarray(lags, int)
    if lags.min() < 0 or lags.max() >= frames:
        raise ValueError(f"lags must lie in [0, {frames - 1}]")
    return lags


def _average(pos, select, lags, origin_stride, per_particle):
    pos = _check_positions(pos)
    frames, n, _ = pos.shape
    sel = _selection(select, frames, n)
    lags = _lags(frames, lags)
    out = np.empty(len(lags))
    for k, lag in enumerate(lags):
        o = _origins(frames, lag, origin_stride)
        dr = pos[o + lag] - pos[o]                   # (origins, N, D)
        w = sel[o]                                   # selection at the time origin
        cnt = w.sum()
        if cnt == 0:
            raise ValueError("the selection is empty")
        out[k] = float((per_particle(dr) * w).sum() / cnt)
    return lags, out


def self_intermediate_scattering(pos, q: float, select=None, lags=None, origin_stride: int = 1,
                                 method: str = "axes") -> np.ndarray:
    """F_s(q, t_k) for lags k (default all frames), see the module docstring for ``method``."""
    if q <= 0:
        raise ValueError(f"q must be > 0, got {q}")
    if method == "axes":
        def f(dr):
            return np.cos(q * dr).mean(axis=-1)
    elif method == "isotropic":
        dim = np.shape(pos)[-1]

        def f(dr):
            x = q * np.linalg.norm(dr, axis=-1)
            if dim == 3:
                return np.sinc(x / math.pi)          # sin(x)/x, = 1 at x = 0
            if dim == 2:
                from scipy.special import j0

                return j0(x)
            raise ValueError(f"isotropic average needs D = 2 or 3, got {dim}")
    else:
        raise ValueError(f"method must be 'axes' or 'isotropic', got {method!r}")
    return _average(pos, select, lags, origin_stride, f)[1]


def mean_squared_displacement(pos, select=None, lags=None, origin_stride: int = 1) -> np.ndarray:
    """MSD(t_k) = <|r_i(t_0 + t_k) - r_i(t_0)|^2> over selected particles and origins."""
    return _average(pos, select, lags, origin_stride, lambda dr: (dr * dr).sum(axis=-1))[1]


@dataclass
class RelaxationTime:
    tau: float            # NaN if not reached
    reached: bool
    lower_bound: float    # tau if reached, else the last time (tau_alpha > lower_bound)
    threshold: float


def relaxation_time(t, F, threshold: float = math.exp(-1.0)) -> RelaxationTime:
    """First time F(t) <= ``threshold``: linear interpolation of F in ln t (t > 0 points)
    between the last point above and the first point at or below it."""
    t = np.asarray(t, float)
    F = np.asarray(F, float)
    if t.shape != F.shape or t.ndim != 1:
        raise ValueError("t and F must be 1-D arrays of equal length")
    below = np.nonzero(F <= threshold)[0]
    if len(below) == 0:
        return RelaxationTime(math.nan, False, float(t.max()), threshold)
    k = int(below[0])
    if k == 0 or t[k - 1] <= 0:
        tau = float(t[k])
    else:
        x0, x1 = math.log(t[k - 1]), math.log(t[k])
        f0, f1 = F[k - 1], F[k]
        tau = float(math.exp(x0 + (threshold - f0) * (x1 - x0) / (f1 - f0)))
    return RelaxationTime(tau, True, tau, threshold)


@dataclass
class Diffusion:
    D: float
    D_err: float          # standard error of the slope / (2 dim)
    t_window: tuple       # the fitted window (t_lo, t_hi)
    n_points: int


def diffusion_coefficient(t, msd, t_window, dim: int = 3) -> Diffusion:
    """D from MSD(t) = 2 dim D t + c by least squares over t in ``t_window`` (inclusive)."""
    t, msd = np.asarray(t, float), np.asarray(msd, float)
    if t.shape != msd.shape or t.ndim != 1:
        raise ValueError("t and msd must be 1-D arrays of equal length")
    lo, hi = (float(v) for v in t_window)
    if not 0 <= lo < hi:
        raise ValueError(f"t_window must be 0 <= t_lo < t_hi, got {t_window}")
    use = (t >= lo) & (t <= hi) & np.isfinite(msd)
    if use.sum() < 3:
        raise ValueError(f"t_window {t_window} holds {int(use.sum())} MSD points; need >= 3 "
                         f"(times {t.min():g} ... {t.max():g})")
    (s, _), cov = np.polyfit(t[use], msd[use], 1, cov="unscaled")
    r = msd[use] - np.polyval((s, _), t[use])
    var = float(r @ r) / max(1, int(use.sum()) - 2) * cov[0, 0]
    return Diffusion(float(s) / (2 * dim), math.sqrt(var) / (2 * dim), (lo, hi), int(use.sum()))


def structure_factor(positions, box_len, select=None, q_max: float = 12.0, bin_width=None):
    """Isotropic S(q) of one configuration on the reciprocal lattice q = 2 pi n / L.

    ``positions`` (N, D), ``box_len`` scalar or (D,) (orthogonal periodic box). Returns
    (q_centres, S, counts): shell averages of |rho_q|^2 / N_sel over q vectors with 0 < |q| <=
    q_max in shells of width ``bin_width`` (default 2 pi / L_max, one lattice spacing).
    """
    r = np.asarray(positions, float)
    n, dim = r.shape
    L = np.broadcast_to(np.asarray(box_len, float), (dim,))
    if select is not None:
        r = r[np.asarray(select, bool)]
    nsel = len(r)
    dq = 2 * math.pi / L
    nmax = np.floor(q_max / dq).astype(int)
    grids = np.meshgrid(*[np.arange(-m, m + 1) for m in nmax], indexing="ij")
    nvec = np.stack([g.ravel() for g in grids], axis=1)
    qvec = nvec * dq
    qn = np.linalg.norm(qvec, axis=1)
    keep = (qn > 0) & (qn <= q_max)
    # q and -q give the same |rho_q|^2: keep one of each pair (first nonzero component > 0)
    first = nvec[np.arange(len(nvec)), np.argmax(nvec != 0, axis=1)]
    keep &= first > 0
    qvec, qn = qvec[keep], qn[keep]
    s = np.empty(len(qn))
    for a in range(0, len(qn), 512):                   # chunks keep memory at 512 x N
        phase = r @ qvec[a:a + 512].T
        s[a:a + 512] = (np.cos(phase).sum(0) ** 2 + np.sin(phase).sum(0) ** 2) / nsel
    width = bin_width or float(dq.min())
    edges = np.arange(0.5 * width, q_max + width, width)
    idx = np.digitize(qn, edges) - 1
    ok = (idx >= 0) & (idx < len(edges) - 1)
    counts = np.bincount(idx[ok], minlength=len(edges) - 1)
    sums = np.bincount(idx[ok], weights=s[ok], minlength=len(edges) - 1)
    centres = np.bincount(idx[ok], weights=qn[ok], minlength=len(edges) - 1)
    have = counts > 0
    return centres[have] / counts[have], sums[have] / counts[have], counts[have]


def first_peak_q(positions, box_len, select=None, q_min: float = 2.0, q_max: float = 12.0,
                 bin_width=None) -> float:
    """|q| of the maximum of the shell-averaged S(q) for q >= ``q_min`` (skips the small-q
    region; for unit mean diameter the first peak lies near 2 pi / 1 ~ 6-7)."""
    q, S, _ = structure_factor(positions, box_len, select, q_max, bin_width)
    m = q >= q_min
    if not m.any():
        raise ValueError(f"no q shell in [{q_min}, {q_max}]")
    return float(q[m][np.argmax(S[m])])


def lag_grid(frames: int, per_decade: int = 20, linear_to: int | None = None) -> np.ndarray:
    """Frame lags 0, then log-spaced (``per_decade``) up to frames - 1, plus every lag up to
    ``linear_to`` (unique, sorted): short times resolved, long times thinned."""
    if frames < 2:
        raise ValueError(f"need at least two frames, got {frames}")
    lags = np.unique(np.round(np.logspace(0, math.log10(frames - 1),
                                          int(per_decade * math.log10(frames - 1)) + 1)).astype(int))
    extra = np.arange(0, (linear_to or 0) + 1)
    return np.unique(np.concatenate([[0], lags, extra[extra < frames]]))


def alpha_relaxation(pos, frame_dt: float, q: float, select=None, d_window=None, lags=None,
                     origin_stride: int = 1, thresholds=(0.2, math.exp(-1.0))):
    """F_s(q, t) and MSD(t) of the ``select``-ed particles (P4: the largest species at q_max),
    tau_alpha at each of ``thresholds`` (P4: 0.2; e^-1 as an option) and D from the MSD over
    ``d_window`` (None: no D). Frames every ``frame_dt``. Returns (curves, summary): curves =
    {"t", "F_s", "msd"} arrays; summary = {"tau_<threshold>": RelaxationTime, "D": Diffusion|None}."""
    pos = _check_positions(pos)
    lags = lag_grid(len(pos)) if lags is None else np.asarray(lags, int)
    t = lags * float(frame_dt)
    fs = self_intermediate_scattering(pos, q, select, lags, origin_stride)
    msd = mean_squared_displacement(pos, select, lags, origin_stride)
    summary = {f"tau_{th:.4g}": relaxation_time(t, fs, th) for th in thresholds}
    summary["D"] = (diffusion_coefficient(t, msd, d_window, pos.shape[-1])
                    if d_window is not None else None)
    return {"t": t, "F_s": fs, "msd": msd}, summary


def species_relaxation(pos, box_len, frame_dt: float, select, d_window, q=None):
    """Dynamics of one species as P4 measures it (the largest; Sec. II B, Figs. 3, 9) from unwrapped
    frames ``pos`` (frames, N, D) every ``frame_dt``: q_S = median of ``first_peak_q`` of the
    selection over every (frames // 10)-th frame; ``alpha_relaxation`` of the selection at ``q``
    (default q_S) with time origins every frames // 200 frames, and the MSD of all particles on the
    same lags. Returns (curves, row): curves = {"t", "F_s", "msd", "msd_all"}; row = {q_max,
    q_max_S_q, tau_alpha (F_s = 0.2) with tau_alpha_reached / tau_alpha_lower_bound, tau_e (F_s =
    e^-1), D, D_err, D_window_lo, D_window_hi}."""
    pos = _check_positions(pos)
    q_sq = float(np.median([first_peak_q(x, box_len, select) for x in pos[::max(1, len(pos) // 10)]]))
    q = q_sq if q is None else q
    stride = max(1, len(pos) // 200)
    curves, summ = alpha_relaxation(pos, frame_dt, q, select, d_window, origin_stride=stride)
    curves["msd_all"] = mean_squared_displacement(pos, None, np.rint(curves["t"] / frame_dt).astype(int), stride)
    tau2, taue, D = summ["tau_0.2"], summ[f"tau_{math.exp(-1):.4g}"], summ["D"]
    return curves, {"q_max": q, "q_max_S_q": q_sq, "tau_alpha": tau2.tau, "tau_alpha_reached": tau2.reached,
                    "tau_alpha_lower_bound": tau2.lower_bound, "tau_e": taue.tau, "D": D.D, "D_err": D.D_err,
                    "D_window_lo": D.t_window[0], "D_window_hi": D.t_window[1]}


def block_mean(x, n_blocks: int = 10) -> tuple[float, float]:
    """Mean of a correlated time series and its standard error from ``n_blocks`` consecutive
    block means (Flyvbjerg & Petersen, J. Chem. Phys. 91, 461 (1989)): s.e. = std(block means,
    ddof=1) / sqrt(n_blocks); the blocks must be longer than the correlation time."""
    x = np.asarray(x, float)
    if n_blocks < 2 or len(x) < n_blocks:
        raise ValueError(f"need n_blocks >= 2 and at least n_blocks values; got {n_blocks}, {len(x)}")
    m = len(x) // n_blocks
    means = x[: m * n_blocks].reshape(n_blocks, m).mean(axis=1)
    return float(x.mean()), float(means.std(ddof=1) / math.sqrt(n_blocks))

