"""Decay and energy profiles of modes (P1 App. C-D) and the mobility edge (P1 Sec. III B),
on constructed modes with known answers and on real KA-LJ Hessians."""
import numpy as np
import pandas as pd
import pytest

from glasstools.analysis.hessian import hessian
from glasstools.analysis.mobility_edge import binned_participation, lambda_edges, mobility_edge, pair_crossing
from glasstools.analysis.mode_structure import (core_energies, correlation_lengths, decay_model,
                                                decay_profile, energy_profile, fit_correlation_length,
                                                local_harmonic_energies)
from glasstools.geometry import distances_from
from glasstools.analysis.modes import inm
from glasstools.configuration import Frame
from glasstools.models import get_model


def _ka_liquid(n=400, seed=3):
    """Random KA-LJ configuration with close pairs pushed apart (numpy only, no LAMMPS)."""
    rng = np.random.default_rng(seed)
    box = np.full(3, (n / 1.204) ** (1 / 3))
    grid = int(np.ceil(n ** (1 / 3)))
    sites = np.stack(np.meshgrid(*[np.arange(grid)] * 3, indexing="ij"), -1).reshape(-1, 3)[:n]
    pos = (sites + 0.5 + 0.15 * rng.standard_normal((n, 3))) * box / grid
    types = np.where(rng.permutation(n) < int(0.8 * n), 1, 2)
    return pos, box, types


def test_local_energies_sum_to_eigenvalue_and_follow_relabelling():
    pos, box, types = _ka_liquid()
    model = get_model("ka_lj_fs")
    frame = Frame(pos, box, types)
    h = hessian(frame, model)
    res = inm(h, 3, n_lowest=5)
    for lam, e in zip(res.eigenvalues[:5], res.vectors[:, :5].T):
        de = local_harmonic_energies(e, frame, model)
        assert de.sum() == pytest.approx(lam, rel=1e-9, abs=1e-9 * abs(res.eigenvalues).max())
    # relabelling particles permutes dE_i; a rigid translation leaves it unchanged
    perm = np.random.default_rng(0).permutation(len(pos))
    e = res.vectors[:, 0].reshape(-1, 3)
    de = local_harmonic_energies(e.ravel(), frame, model)
    de_p = local_harmonic_energies(e[perm].ravel(), Frame(pos[perm] + [0.3, -1.1, 2.0], box, types[perm]), model)
    assert np.allclose(de_p, de[perm], rtol=1e-10, atol=1e-12)
    # a non-eigenvector: the sum is the Rayleigh quotient e.M.e
    v = np.random.default_rng(1).standard_normal(h.shape[0])
    v /= np.linalg.norm(v)
    assert local_harmonic_energies(v, frame, model).sum() == pytest.approx(v @ (h @ v), rel=1e-10)


def test_single_particle_mode_profiles():
    pos, box, types = _ka_liquid(n=1000, seed=4)
    model = get_model("ka_lj_fs")
    k = 17
    e = np.zeros((len(pos), 3))
    e[k] = [0.6, 0.0, 0.8]
    frame = Frame(pos, box, types)
    r, d, counts = decay_profile(e.ravel(), pos, box, dr=0.5)
    assert np.all(d[counts > 0] == 0.0) and counts.sum() == len(pos) - 1 - np.count_nonzero(
        distances_from(pos, box, k) >= r[-1] + 0.25)
    de = local_harmonic_energies(e.ravel(), frame, model)
    quad = e.ravel() @ (hessian(frame, model) @ e.ravel())
    prof, lmin, r_min, core = energy_profile(de, pos, box, r)
    cut = model.max_cutoff()
    # only k and its interacting neighbours carry energy: the profile is complete once they are inside
    outside = r > distances_from(pos, box, core)[k] + cut
    assert outside.sum() >= 2 and np.allclose(prof[outside], quad, rtol=1e-12)
    assert np.isclose(de.sum(), quad, rtol=1e-12) and lmin <= prof.min() + 1e-15
    vals, dist = core_energies(de, pos, box, k=5)
    assert vals[0] == de.min() and dist[0] == 0.0 and np.all(np.diff(vals) >= 0)


def test_decay_profile_fit_recovers_correlation_length():
    # a mode whose norm is exactly A (1/r^2 + 1/(xi r)) e^{-r/xi} around particle 0
    rng = np.random.default_rng(7)
    box = np.full(3, 30.0)
    pos = rng.random((20000, 3)) * box
    pos[0] = box / 2
    dist = distances_from(pos, box, 0)
    norm = decay_model(np.maximum(dist, 0.5), 1.0, 4.0)
    norm[0] = 10.0
    dirs = rng.standard_normal((len(pos), 3))
    e = norm[:, None] * dirs / np.linalg.norm(dirs, axis=1)[:, None]
    r, d, _ = decay_profile(e.ravel(), pos, box, dr=0.25)
    fit = fit_correlation_length(r, d, window=(3.0, 12.0))
    # bin medians of a convex function over width 0.25: bias well below 1 %
    assert fit["xi"] == pytest.approx(4.0, rel=0.01) and not fit["at_bound"]
    pure = fit_correlation_length(r, decay_model(r, 1.0, 1e9), window=(3.0, 12.0), xi_max=1e4)
    assert pure["at_bound"]


@pytest.mark.parametrize("n_samples", [2, 3, 4])
def test_bootstrap_error_is_the_spread_of_every_resample_fit(n_samples):
    # xi_err = std over n_boot resamples of the samples of the fitted xi, each resample fitted
    # anew here; correlation_lengths fits each distinct resampled mean once (same numbers, bitwise)
    rng = np.random.default_rng(5)
    r = 0.25 * np.arange(1, 49)
    rows = [pd.DataFrame({"sample": k, "logW_target": lw, "r": r,
                          "d": decay_model(r, 1.0, xi) * np.exp(0.2 * rng.standard_normal(len(r)))})
            for lw in (-2.0, -3.0) for k, xi in enumerate(rng.uniform(2.0, 6.0, n_samples))]
    profiles = pd.concat(rows, ignore_index=True)
    window, seed, n_boot = (1.0, 10.0), 11, 50
    got = correlation_lengths(profiles, window, n_boot=n_boot, seed=seed)
    draw = np.random.default_rng(seed)
    for lw, grp in profiles.groupby("logW_target"):
        table = grp.pivot_table(index="sample", columns="r", values="d").to_numpy()
        xis = [fit_correlation_length(r, np.nanmean(table[draw.integers(0, n_samples, n_samples)], axis=0),
                                      window)["xi"] for _ in range(n_boot)]
        row = got[got["logW_target"] == lw].iloc[0]
        assert row["xi_err"] == np.std(xis) and row["xi_err"] > 0
        assert row["xi"] == fit_correlation_length(r, np.nanmean(table, axis=0), window)["xi"]


def _synthetic_modes(lam_e, sizes=(500, 1000, 2000, 4000), seed=0):
    """Modes with N^{2/3} P = c * (N/1000)^(0.5 * (lam - lam_e)): curves cross exactly at lam_e."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in sizes:
        lam = rng.uniform(-10, 0, 4000)
        pr = 0.3 * (n / 1000) ** (0.5 * (lam - lam_e)) / n ** (2 / 3)
        rows.append(pd.DataFrame({"N": n, "logW_target": -2.0, "lam": lam, "pr": pr}))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("spacing", ["quantile", "linear"])
@pytest.mark.parametrize("lam_e", [-6.3, -2.1])
def test_mobility_edge_found_at_constructed_crossing(lam_e, spacing):
    binned = binned_participation(_synthetic_modes(lam_e), bins=40, spacing=spacing, lam_quantile=0.0)
    assert set(binned["N"]) == {500, 1000, 2000, 4000}
    me = mobility_edge(binned).iloc[0]
    assert me["status"] == "crossed" and me["n_pairs"] == me["n_crossed"] == 6
    # bin means of an exponential in lambda shift the crossing by far less than a bin (0.25)
    assert me["lambda_e"] == pytest.approx(lam_e, abs=0.05)
    assert me["lambda_e_lo"] <= me["lambda_e"] <= me["lambda_e_hi"]


def test_quantile_bins_hold_equal_counts_of_a_skewed_band():
    """Unstable modes pile up near lambda = 0 (exponential tail): linear bins leave the tail
    with a mode or two, quantile bins hold the same pooled count everywhere."""
    rng = np.random.default_rng(5)
    lam = -rng.exponential(1.0, 3000)
    modes = pd.DataFrame({"N": np.repeat([1000, 2000], 1500), "logW_target": -1.5, "lam": lam,
                          "pr": rng.uniform(0.01, 0.5, 3000)})
    q = binned_participation(modes, bins=10).groupby("lam")["count"].sum()
    lin = binned_participation(modes, bins=10, spacing="linear").groupby("lam")["count"].sum()
    assert q.sum() == lin.sum() == 3000
    b = binned_participation(modes, bins=10)
    assert np.all((b["lam"] >= b["lam_lo"]) & (b["lam"] <= b["lam_hi"]))  # pooled mean lambda of each bin
    first = lam <= b["lam_hi"].iloc[0]
    assert b["lam"].iloc[0] == pytest.approx(lam[first].mean())
    assert q.min() >= 299 and q.max() <= 301 and lin.iloc[1:3].sum() < 100
    edges = lambda_edges(lam, 10)
    assert edges[0] == lam.min() and edges[-1] == 0.0 and len(edges) == 11
    one = binned_participation(modes.iloc[:1], bins=10)  # a single mode: one bin [lambda, 0]
    assert len(one) == 1 and one["count"].iloc[0] == 1 and one["lam"].iloc[0] == lam[0]
    with pytest.raises(ValueError, match="spacing"):
        lambda_edges(lam, 10, spacing="log")


def test_mobility_edge_without_crossing_is_flagged():
    binned = binned_participation(_synthetic_modes(lam_e=5.0), bins=20)  # localised everywhere
    me = mobility_edge(binned).iloc[0]
    assert np.isnan(me["lambda_e"]) and me["status"] == "localised" and me["n_crossed"] == 0
    x, changes, status = pair_crossing([-3, -2, -1], [2, 2, 2], [3, 3, 3])
    assert np.isnan(x) and changes == 0 and status == "delocalised"
