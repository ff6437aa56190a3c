"""Polydisperse systems in the workflow: real Snakemake, real LAMMPS with the glasstools plugin.

A tiny 3D soft-sphere system (P0 model) is prepared by hybrid swap (NVT MD + fix swap/diameter),
quenched by steepest descent, and analysed by INM; the tables must show that the per-atom
diameters were used throughout, and the swap statistics must reach the tables' metadata.
"""
import copy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from glasstools.analysis.hessian import energy_forces, hessian
from glasstools.analysis.modes import inm
from glasstools.config import ConfigError, sample_seeds, validate
from glasstools.io import read_table
from glasstools.lammps.dump import read_dump
from glasstools.models import get_model
from glasstools.systems import quantile_diameters
from glasstools.systems import analytic_moments

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
NAME = "soft_spheres_poly/N128/T0.15"

POLY = {
    "seed": 11,
    "systems": [
        {"model": "soft_spheres_poly", "N": 128, "T": 0.15, "density": 1.02, "samples": 2,
         "equilibration": {"nvt_time": 4.0, "nve_time": 1.0},
         "swap": {"every": 10, "attempts": 1.0, "delta": 0.2},
         "fit": {"t_window": [0.01, 1.0]}},
    ],
    "sd": {"logW_targets": [-1.5, -3.0], "W_is": 1.0e-10},
}


@pytest.fixture(scope="module")
def poly_run(tmp_path_factory):
    wd = tmp_path_factory.mktemp("wfpoly")
    (wd / "config.yaml").write_text(yaml.safe_dump(POLY))
    targets = [f"results/{NAME}/s{k}/inm/summary.parquet" for k in range(2)]
    # P0 inherent structures: minimisers, defects, their per-system tables and figures
    targets += [f"results/{NAME}/{t}.parquet" for t in ("minimisers", "is_distances", "defect_statistics")]
    targets += ["results/figures/soft_spheres_poly_N128_defects_vs_T.png",
                "results/figures/soft_spheres_poly_N128_T0.15_is_displacement.png"]
    res = subprocess.run([str(SNAKEMAKE), "-s", str(ROOT / "Snakefile"), "--directory", str(wd),
                          "--configfile", str(wd / "config.yaml"), "--cores", "2", *targets],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    return wd / "results" / NAME


def test_swap_statistics_recorded(poly_run):
    for k in range(2):
        prep, meta = read_table(poly_run / f"s{k}" / "prepare.parquet")
        row = prep.iloc[0]
        # 4.0 / 0.005 = 800 NVT steps, a sweep of 128 attempts every 10 steps -> 80 sweeps
        assert row["swap_attempts"] == 80 * 128
        assert 0 < row["swap_accepted"] < row["swap_passing_delta"] < row["swap_attempts"]
        assert 0.02 < row["swap_acceptance"] < 0.6
        assert meta["diameter_ratio"] == 0.449 and meta["equilibration"].startswith("hybrid swap")
        # quantile diameters: every sample at the analytic packing fraction pi rho <d^3> / 6
        assert row["phi"] == pytest.approx(np.pi / 6 * 1.02 * analytic_moments(0.449)["mean_cube"], rel=2e-4)
        assert meta["mpi_ranks"] == 1  # swap runs on one rank
        summary, smeta = read_table(poly_run / f"s{k}" / "inm" / "summary.parquet")
        assert smeta["preparation"]["swap_accepted"] == row["swap_accepted"]
        assert smeta["preparation"]["swap_acceptance"] == pytest.approx(row["swap_acceptance"])


def test_inm_uses_per_atom_diameters(poly_run):
    cfg = validate(POLY)
    seeds = sample_seeds(cfg, cfg["systems"][0])
    model = get_model("soft_spheres_poly")
    summary, _ = read_table(poly_run / "s0" / "inm" / "summary.parquet")
    snaps, _ = read_table(poly_run / "s0" / "sd" / "snapshots.parquet")
    changed = False
    for snap in snaps.itertuples():
        fr = read_dump(poly_run / "s0" / "sd" / snap.file)
        assert fr.diameters is not None  # the SD dumps carry the diameter column
        # the diameters are the seeded quantile set of f(d) ~ d^-3, permuted by the swaps
        sampled = quantile_diameters(128, seeds[0], 0.449)
        np.testing.assert_allclose(np.sort(fr.diameters), np.sort(sampled), rtol=1e-14)
        changed |= not np.allclose(fr.diameters, sampled)
        # LAMMPS energy of the snapshot = numpy energy with these per-atom diameters
        e, _ = energy_forces(fr, model)
        assert e / fr.n == pytest.approx(snap.e_pot, rel=1e-9)
        # INM f_u in the table = direct recomputation from the dump with its diameters
        res = inm(hessian(fr, model), fr.dim)
        row = summary[summary["logW_target"] == snap.logW_target].iloc[0]
        assert res.f_u == row["f_u"] and res.n_unstable == row["n_unstable"]
    assert changed, "swap Monte Carlo should have permuted the diameters"


def _bad(**changes):
    cfg = copy.deepcopy(POLY)
    cfg["systems"][0].update(changes)
    return cfg


@pytest.mark.parametrize("changes, needle", [
    ({"swap": {"every": 0}}, "['swap']['every']"),
    ({"swap": {"attempts": -1.0}}, "['swap']['attempts']"),
    ({"swap": {"delta": 0.0}}, "['swap']['delta']"),
    ({"swap": {"bogus": 1}}, "bogus"),
    ({"swap": {"every": 5000}}, "['swap']['every']"),
    ({"swap": {"attempts": 0.001}}, "['swap']['attempts']"),
    ({"diameter_ratio": 1.2}, "['diameter_ratio']"),
    ({"diameter_ratio": 0.0}, "['diameter_ratio']"),
    ({"T": "inf"}, "['swap']"),
    ({"diameter_sampling": "sobol"}, "['diameter_sampling']"),
    ({"model": "ka_lj_fs", "N": 200, "density": 1.204}, "['swap']"),
])
def test_bad_polydisperse_parameters_named(changes, needle):
    with pytest.raises(ConfigError) as err:
        validate(_bad(**changes))
    assert needle in str(err.value)


def test_packing_fraction_uses_diameter_moments():
    """phi -> nominal density with the analytic <d^3> of f(d) ~ d^-3 (not type diameters);
    WCA uses P2's phi = sqrt(2) pi/(6V) sum sigma^3."""
    base = copy.deepcopy(POLY)
    s = base["systems"][0]
    del s["density"]
    s["packing_fraction"] = 0.6
    c = validate(base)["systems"][0]
    m3 = analytic_moments(0.449)["mean_cube"]
    assert c["density"] == pytest.approx(0.6 / (np.pi / 6 * m3))
    s["model"] = "wca_poly"
    c = validate(base)["systems"][0]
    assert c["diameter_ratio"] == 0.45
    assert c["density"] == pytest.approx(0.6 / (np.sqrt(2) * np.pi / 6 * analytic_moments(0.45)["mean_cube"]))


def test_minimisers_and_defects(poly_run):
    """P0: every sample's IS by cg, fire, sd and the SD dynamics, all kept with their stopping
    criterion; phi_i recomputed from start.data and sd/IS with the non-additive d_ij."""
    from glasstools.analysis import defects as dfx
    from glasstools.lammps.dump import read_data_file

    mins, meta = read_table(poly_run / "minimisers.parquet")
    assert sorted(mins["method"].unique()) == ["cg", "fire", "sd", "sd_dynamics"]
    assert len(mins) == 2 * 4 and meta["settings"]["ftol"] == 1e-10
    lammps = mins[mins["method"] != "sd_dynamics"]
    assert (lammps["converged"] == (lammps["fmax_atom"] <= 1e-10)).all()
    assert (mins["energy"] <= mins["energy_start"] + 1e-9).all()
    dist, _ = read_table(poly_run / "is_distances.parquet")
    assert len(dist) == 2 * 6 and (dist["delta"] >= 0).all()
    stats, smeta = read_table(poly_run / "defect_statistics.parquet")
    assert smeta["c"] == 1.4 and smeta["d2min_cutoff"] == 2.0 and stats["n_samples"].iloc[0] == 2
    phis = []
    model = get_model("soft_spheres_poly")
    for k in range(2):
        a = read_data_file(poly_run / f"s{k}" / "start.data")
        b = read_dump(poly_run / f"s{k}" / "sd" / "IS.lammpstrj")
        fn, dmax = dfx.model_pair_diameter(model, a.types, a.diameters)
        phis.append(dfx.neighbour_change(a.positions, b.positions, a.box_len, 1.4, pair_fn=fn, dmax=dmax))
        parts, _ = read_table(poly_run / f"s{k}" / "defects" / "defects.parquet")
        np.testing.assert_array_equal(parts.sort_values("id")["phi"].to_numpy(), phis[-1])
    expect = dfx.defect_statistics(np.array(phis))
    assert stats["phi_mean"].iloc[0] == pytest.approx(expect["phi_mean"])
    assert stats["chi"].iloc[0] == pytest.approx(expect["chi"])
    fig = poly_run.parents[2] / "figures"
    for name in ("soft_spheres_poly_N128_defects_vs_T", "soft_spheres_poly_N128_T0.15_is_displacement",
                 "soft_spheres_poly_N128_T0.15_defects_snapshot"):
        assert (fig / f"{name}.png").stat().st_size > 1000
