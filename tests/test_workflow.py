"""End to end: real Snakemake, real LAMMPS under mpiexec, on a tiny configuration."""
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from glasstools.analysis.modes import participation_ratio
from glasstools.io import read_table
from glasstools.io.modes import load_modes

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"

TINY = {
    "seed": 7,
    "systems": [
        {"model": "ka_lj_fs", "N": 200, "T": 2.0, "density": 1.204, "samples": 2,
         "equilibration": {"nvt_time": 2.0, "nve_time": 2.0},
         "fit": {"t_window": [0.01, 1.0]}},
        {"model": "ka_lj_fs", "N": 250, "T": 2.0, "density": 1.204, "samples": 2,
         "equilibration": {"nvt_time": 2.0, "nve_time": 2.0}, "fit": {"t_window": [0.01, 1.0]}},
        {"model": "harmonic_spheres", "N": 128, "T": "inf", "packing_fraction": 0.73,
         "samples": 2, "fit": {"t_window": [0.5, 20.0]}},
    ],
    "sd": {"logW_targets": [-1.5, -3.0, -5.0], "W_is": 1.0e-12},
}


def run(workdir: Path, cfg: dict, *extra):
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "config.yaml").write_text(yaml.safe_dump(cfg))
    return subprocess.run([str(SNAKEMAKE), "-s", str(ROOT / "Snakefile"), "--directory", str(workdir),
                           "--configfile", str(workdir / "config.yaml"), "--cores", "2", *extra],
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    wd = tmp_path_factory.mktemp("wf")
    res = run(wd, TINY)
    assert res.returncode == 0, res.stderr[-3000:]
    return wd


def test_tables_and_figures(demo):
    res = demo / "results"
    for kind in ("W_t", "v_t", "W_fu", "unstable_spectra"):
        assert (res / "figures" / f"ka_lj_fs_N200_{kind}.png").stat().st_size > 1000
    fixed, meta = read_table(res / "ka_lj_fs/N200/T2/fixedW.parquet")
    assert meta["n_samples"] == 2 and meta["versions"]["lammps"]
    assert len(meta["sample_seeds"]) == 2 and meta["sample_seeds"][0] != meta["sample_seeds"][1]
    levels = fixed[~fixed["is_inherent_structure"]]
    assert sorted(levels["logW_target"].unique()) == [-5.0, -3.0, -1.5]
    # each saved configuration lies just below its target and f_u counts DN - D modes
    assert (levels["W"] < 10.0 ** levels["logW_target"]).all()
    assert (levels["W"] > 10.0 ** (levels["logW_target"] - 1)).all()
    assert (fixed["n_modes"] == 3 * 200 - 3).all()
    ism = fixed[fixed["is_inherent_structure"]]
    assert (ism["W"] <= 1e-12).all() and (ism["n_unstable"] == 0).all()
    traj, _ = read_table(res / "ka_lj_fs/N200/T2/trajectory.parquet")
    # Eq. 8: (1/N) dE/dt = -W/zeta, checked on the recorded trajectory by the trapezoid rule
    s0 = traj[traj["sample"] == 0].sort_values("t")
    s0 = s0[(s0["t"] > 0.05) & (s0["t"] < 1.0)]
    dE = s0["e_pot"].iloc[-1] - s0["e_pot"].iloc[0]
    integral = -((s0["W"].iloc[1:].values + s0["W"].iloc[:-1].values) / 2 * s0["t"].diff().iloc[1:].values).sum()
    assert dE == pytest.approx(integral, rel=0.05)


def test_mode_structure_and_mobility_edge_tables(demo):
    res = demo / "results"
    for name in ("ka_lj_fs_N250_T2_decay_profiles", "ka_lj_fs_N200_T2_energy_profiles",
                 "harmonic_spheres_N128_Tinf_core_energy", "ka_lj_fs_N250_T2_cores",
                 "ka_lj_fs_T2_correlation_length", "ka_lj_fs_T2_participation_scaling", "ka_lj_fs_T2_mobility_edge"):
        assert (res / "figures" / f"{name}.png").stat().st_size > 1000
    assert not (res / "figures" / "harmonic_spheres_Tinf_mobility_edge.png").exists()  # one size only
    summary, meta = read_table(res / "ka_lj_fs/N250/T2/s1/inm/summary.parquet")
    assert meta["N"] == 250 and meta["profile_dr"] == 0.25
    # P1 Eq. C2 sum rule on every snapshot, and Lambda_min <= Lambda(inf) = lambda
    assert (summary["sum_rule_residual"].abs() <= 1e-8 * summary["lambda_max"]).all()
    assert (summary["Lambda_min"] <= summary["lambda_min"] + 1e-12).all()
    assert (summary["n_unstable_resolved"] == summary["n_unstable"]).all()
    binned, bmeta = read_table(res / "ka_lj_fs/T2/participation_by_size.parquet")
    assert bmeta["sizes"] == [200, 250] and set(binned["N"]) <= {200, 250}
    modes = pd.concat([read_table(res / f"ka_lj_fs/N{n}/T2/s{k}/inm/unstable_modes.parquet")[0]
                       for n in (200, 250) for k in (0, 1)])
    assert binned["count"].sum() == len(modes)  # every unstable mode lands in one bin
    # stored eigenpairs (analysis.store_modes: unstable) reproduce the unstable-mode table without a solver
    sets, smeta = load_modes(res / "ka_lj_fs/N250/T2/s1/inm/modes.npz")
    table = read_table(res / "ka_lj_fs/N250/T2/s1/inm/unstable_modes.parquet")[0]
    assert smeta["store_modes"] == "unstable" and len(sets) == len(summary)
    for st in sets.values():
        rows = table[table["logW_target"] == st.meta["logW_target"]]
        assert st.meta["which"] == "unstable" and st.meta["n_unstable"] == len(rows) == len(st.eigenvalues)
        assert np.array_equal(st.eigenvalues, rows["lam"].to_numpy())
        assert np.allclose(participation_ratio(st.vectors, 3), rows["pr"].to_numpy(), rtol=1e-13, atol=0)
    edge, _ = read_table(res / "ka_lj_fs/T2/mobility_edge.parquet")
    assert set(edge["status"]) <= {"crossed", "localised", "delocalised", "mixed", "too_few_modes"}
    profiles, _ = read_table(res / "ka_lj_fs/N200/T2/mode_profiles.parquet")
    assert (profiles["r"] <= 0.5 * (200 / 1.204) ** (1 / 3)).all() and profiles["n_samples"].max() == 2


def test_rerun_is_reproducible_and_resumes(demo, tmp_path):
    other = tmp_path / "again"
    res = run(other, TINY)
    assert res.returncode == 0, res.stderr[-3000:]
    for name in ("trajectory", "fixedW"):
        a, _ = read_table(demo / f"results/harmonic_spheres/N128/Tinf/{name}.parquet")
        b, _ = read_table(other / f"results/harmonic_spheres/N128/Tinf/{name}.parquet")
        pd.testing.assert_frame_equal(a, b)
    # deleting a figure regenerates only it (from tables)
    fig = other / "results/figures/harmonic_spheres_N128_W_t.png"
    fig.unlink()
    res = run(other, TINY)
    assert res.returncode == 0 and fig.exists()
    assert "rule quench" not in res.stdout + res.stderr


def test_bad_config_fails_before_any_job(tmp_path):
    bad = {**TINY, "systems": [{**TINY["systems"][0], "T": -1.0}]}
    res = run(tmp_path, bad)
    assert res.returncode != 0
    assert "T" in res.stderr and "results" not in {p.name for p in tmp_path.iterdir()}


def test_deleted_product_is_always_rebuilt(demo):
    """Snakemake >= 7.7 skips a missing intermediate file whose downstream files exist, so after a
    kill -9 during `--forcerun inm` the next run said "Nothing to be done" with empty inm/ folders:
    every product is now a target of `all`, and a missing one is planned again."""
    res = run(demo, TINY, "-n")
    assert "Nothing to be done" in res.stdout + res.stderr
    lost = demo / "results/ka_lj_fs/N200/T2/s1/inm/summary.parquet"
    kept = lost.read_bytes()
    lost.unlink()
    try:
        res = run(demo, TINY, "-n")
        assert res.returncode == 0, res.stderr[-2000:]
        out = res.stdout + res.stderr
        assert "rule inm:" in out and str(lost.relative_to(demo)) in out
        assert "rule collect:" in out   # and what depends on it
    finally:
        lost.write_bytes(kept)
