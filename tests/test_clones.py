"""Clones in a glass basin (P2): the clone MD with real LAMMPS, the clone-ensemble observables on
constructed trajectories, and the whole Snakemake chain (clones -> overlaps -> T_G; IS -> NEB per
pair -> basin matrices -> figures) on a tiny WCA glass."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from glasstools.analysis.hessian import energy_forces
from glasstools.analysis.landscape import clone_distances, clone_ensemble, distinct_minima
from glasstools.config import ConfigError, validate
from glasstools.configuration import Frame
from glasstools.io import read_table
from glasstools.lammps.clones import CloneSettings, clone_times, read_trajectory, run_clone
from glasstools.lammps.protocols import prepare_sample
from glasstools.models import get_model

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"


@pytest.fixture
def rng():
    return np.random.default_rng(2019)


def test_clone_time_grid():
    s = CloneSettings(T=0.1, T_parent=0.5, t_w=100.0, tau=30.0, dt=0.0035, per_decade=4)
    df = clone_times(s)
    assert df["step"].is_monotonic_increasing and df["step"].is_unique
    assert df.iloc[0]["kind"] == "origin" and df.iloc[0]["t"] == 0
    wait, lag = df[df["kind"] == "wait"], df[df["kind"] == "lag"]
    tw = wait["t"].iloc[-1]
    assert tw == pytest.approx(100.0, abs=s.dt) and wait["t"].iloc[0] == pytest.approx(1.0, abs=s.dt)
    assert lag["tau"].iloc[-1] == pytest.approx(30.0, abs=s.dt)
    np.testing.assert_allclose(lag["t"] - tw, lag["tau"], atol=1e-9)
    # about per_decade frames per decade
    assert len(wait) == 9 and 6 <= len(lag) <= 8


def test_clone_ensemble_on_constructed_trajectories(rng):
    n_c, F, N = 4, 5, 400
    base = rng.uniform(0, 10, (N, 3))
    same = np.broadcast_to(base, (n_c, F, N, 3))
    d = clone_distances(same, wait_frames=[0, 1, 2], ref_frame=2, lag_frames=[3, 4])
    assert np.all(d["delta_ab"] == 0) and np.all(d["delta"] == 0)
    w, lag, chi = clone_ensemble([d], [0.0, 1.0, 2.0], [1.0, 2.0])
    assert np.all(w["delta_ab"] == 0) and np.isnan(chi.value) and "zero variance" in chi.reason
    # independent Gaussian displacements of variance s^2 per component around the same positions:
    # Delta_AB = Delta = 2 D s^2, and chi_AB = 1 (uncorrelated particles), within error
    s = 0.1
    noisy = base + rng.normal(0, s, (n_c, F, N, 3))
    samples = [clone_distances(base + rng.normal(0, s, (n_c, F, N, 3)), [0, 1, 2], 2, [3, 4])
               for _ in range(30)]
    samples.append(clone_distances(noisy, [0, 1, 2], 2, [3, 4]))
    w, lag, chi = clone_ensemble(samples, [0.0, 1.0, 2.0], [1.0, 2.0])
    np.testing.assert_allclose(w["delta_ab"], 6 * s**2, rtol=0.02)
    np.testing.assert_allclose(lag["delta"], 6 * s**2, rtol=0.02)
    assert np.all(w["delta_ab_err"] < 0.01 * 6 * s**2)
    assert chi.value == pytest.approx(1.0, abs=0.35)
    # a correlated (collective) displacement per pair makes chi_AB >> 1
    coll = [clone_distances(base + rng.normal(0, s, (n_c, 1, 1, 3)) * rng.uniform(0.2, 2, (n_c, 1, 1, 1))
                            + rng.normal(0, 0.01, (n_c, F, N, 3)), [0, 1, 2], 2, [3, 4]) for _ in range(10)]
    assert clone_ensemble(coll, [0.0, 1.0, 2.0], [1.0, 2.0])[2].value > 20
    # the subset restricts the particles: only the first half moves -> subset of the rest gives 0
    half = np.zeros(N, bool)
    half[N // 2:] = True
    moved = np.stack([base, base]).copy()[:, None].repeat(2, axis=1)
    moved[1, :, : N // 2] += 0.3
    assert clone_distances(moved, [0, 1], 1, [1], subset=half)["delta_ab"].max() == 0


def test_distinct_minima_links_chains():
    d = np.full((5, 5), 1.0)
    np.fill_diagonal(d, 0)
    for a, b in ((0, 2), (2, 4)):      # 0 ~ 2 ~ 4 (a chain), 1 and 3 alone
        d[a, b] = d[b, a] = 1e-7
    np.testing.assert_array_equal(distinct_minima(d, 1e-4), [0, 1, 0, 2, 0])


@pytest.fixture(scope="module")
def wca_start(tmp_path_factory):
    wd = tmp_path_factory.mktemp("clone")
    prepare_sample(get_model("wca_poly"), N=100, density=1.0, T=0.6, seed=3, data_out=wd / "start.data",
                   log=wd / "prep.log", dt=0.004, nvt_time=2.0, nve_time=0.5, packing_fraction=1.1,
                   swap={"every": 10, "attempts": 100, "delta": 0.2})
    return wd


def test_run_clone_real_lammps(wca_start):
    wd, model = wca_start, get_model("wca_poly")
    s = CloneSettings(T=0.05, T_parent=0.6, t_w=3.0, tau=2.0, per_decade=3, t_min=0.5)
    tabs = []
    for k, seed in enumerate((17, 17, 18)):
        tabs.append(run_clone(model, wd / "start.data", wd / f"c{k}.lammpstrj", wd / f"c{k}.parquet", s,
                              seed=seed, log=wd / f"c{k}.log"))
    tab, meta = read_table(wd / "c0.parquet")
    assert len(tab) == len(clone_times(s)) and meta["t0_reached"]
    assert 0 < meta["t0_elapsed"] < 50 and abs(meta["t0_kinetic_T"] - 0.05) <= 0.05 * 0.05
    x, first = read_trajectory(wd / "c0.lammpstrj")
    assert x.shape == (len(tab), 100, 3) and first.diameters is not None
    # energies are total (not per atom), equal to the numpy model on the dumped frames
    for k in (0, len(tab) - 1):
        frame = Frame(x[k], first.box_len, first.types, box_lo=first.box_lo, diameters=first.diameters)
        e, _ = energy_forces(frame, model)
        assert tab["pe"].iloc[k] == pytest.approx(e, rel=1e-9)
    # unwrapped positions: no jump of a box length between frames; a glass at T = 0.05 barely moves
    assert np.abs(np.diff(x, axis=0)).max() < 0.25 * first.box_len.min()
    # seeded: the same seed gives the same trajectory, another seed another one
    x1, _ = read_trajectory(wd / "c1.lammpstrj")
    x2, _ = read_trajectory(wd / "c2.lammpstrj")
    np.testing.assert_array_equal(x, x1)
    assert np.abs(x2[-1] - x[-1]).max() > 1e-6


def test_clone_config_errors():
    base = {"seed": 1, "systems": [{"model": "wca_poly", "N": 100, "T": 0.6, "packing_fraction": 1.1,
                                    "samples": 1, "clones": {"n": 3}}]}
    cfg = validate(base)
    assert cfg["systems"][0]["clones"]["T"] == [0.6]
    for clones, key in (({"n": 1}, "n"), ({"n": 3, "T": [0.1], "landscape": {"T": 0.2}}, "landscape"),
                        ({"n": 3, "T": [0.1, 0.1]}, "duplicate"),
                        ({"n": 3, "T": [0.1], "landscape": {"T": 0.1, "neb": {"n1": 120}}}, "nevery")):
        bad = yaml.safe_load(yaml.safe_dump(base))
        bad["systems"][0]["clones"] = clones
        with pytest.raises(ConfigError, match=key):
            validate(bad)
    ka = yaml.safe_load(yaml.safe_dump(base))
    ka["systems"][0].update(model="ka_lj_fs", N=100, clones={"n": 3, "landscape": {"T": 0.6, "neb": {"stand_in": True}}})
    ka["systems"][0].pop("packing_fraction")
    ka["systems"][0]["density"] = 1.2
    with pytest.raises(ConfigError, match="stand_in"):
        validate(ka)
    inf = yaml.safe_load(yaml.safe_dump(base))
    inf["systems"][0]["T"] = "inf"
    with pytest.raises(ConfigError, match="finite"):
        validate(inf)


NAME = "wca_poly/N100/T0.6"
CLONES = {
    "seed": 5,
    "systems": [{"model": "wca_poly", "N": 100, "T": 0.6, "packing_fraction": 1.1, "samples": 2,
                 "equilibration": {"dt": 0.004, "nvt_time": 4.0, "nve_time": 0.5},
                 "swap": {"every": 10, "attempts": 1.0, "delta": 0.2},
                 "clones": {"n": 3, "T": [0.005, 0.3], "t_w": 4.0, "tau": 3.0, "per_decade": 3,
                            "landscape": {"T": 0.005, "neb": {"n_images": 3, "n1": 300, "n2": 300}}}}],
    "sd": {"logW_targets": [-1.5], "W_is": 1.0e-10},
}


@pytest.fixture(scope="module")
def clone_run(tmp_path_factory):
    wd = tmp_path_factory.mktemp("wfclones")
    (wd / "config.yaml").write_text(yaml.safe_dump(CLONES))
    fig = f"results/figures/{NAME.replace('/', '_')}"
    targets = [f"{fig}_clones_{k}.png" for k in ("deltas", "TG", "chi")]
    targets += [f"{fig}_s0_basin_T0.005_{k}.png" for k in ("matrices", "neb")]
    res = subprocess.run([str(SNAKEMAKE), "-s", str(ROOT / "Snakefile"), "--directory", str(wd),
                          "--configfile", str(wd / "config.yaml"), "--cores", "2", *targets],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    for t in targets:
        assert (wd / t).stat().st_size > 1000
    return wd / "results" / NAME


def test_clone_overlaps_and_glass_temperature(clone_run):
    tg, md = read_table(clone_run / "clones" / "glass_temperature.parquet")
    assert list(tg["T"]) == [0.005, 0.3] and md["n_clones"] == 3 and md["n_samples"] == 2
    assert md["subset"] == "N/2 largest particles"
    np.testing.assert_allclose(tg["ratio"], tg["delta_ab"] / tg["delta"])
    # hotter clones move further apart and further from themselves
    assert tg["delta_ab"].iloc[1] > tg["delta_ab"].iloc[0] > 0
    assert np.isfinite(md["T_G"]) or "never crosses" in md["T_G_reason"]
    w, wmd = read_table(clone_run / "clones" / "T0.005" / "waiting.parquet")
    assert w["n_pairs"].iloc[0] == 2 * 3 and w["t_w"].iloc[0] == 0 and wmd["t_w"] == pytest.approx(4.0, abs=0.004)


def test_basin_matrices_and_barriers(clone_run):
    pairs, md = read_table(clone_run / "s0" / "clones" / "T0.005" / "landscape_pairs.parquet")
    clones, _ = read_table(clone_run / "s0" / "clones" / "T0.005" / "landscape_clones.parquet")
    assert len(pairs) == 3 and len(clones) == 3
    assert sorted(md["cluster_order"]) == [0, 1, 2]
    same = pairs["delta0"] < md["same_tol"]
    np.testing.assert_array_equal(pairs["skipped"], same)
    assert np.all(pairs.loc[same, "barrier"] == 0) and np.all(np.isnan(pairs.loc[same, "p_ab"]))
    assert md["n_distinct_minima"] == clones["minimum"].nunique()
    for row in pairs[~same].itertuples():
        prof, nmd = read_table(clone_run / "s0" / "clones" / "T0.005" / "neb" / f"{row.A}_{row.B}.parquet")
        # NEB end points are the clones' IS, in absolute (total) energy units
        e_is = clones.set_index("clone")["e_is"]
        assert nmd["e_a"] == pytest.approx(e_is[row.A], rel=1e-8, abs=1e-10)
        assert nmd["e_b"] == pytest.approx(e_is[row.B], rel=1e-8, abs=1e-10)
        assert row.barrier == pytest.approx(prof["energy"].max() - min(e_is[row.A], e_is[row.B]))
        assert row.barrier >= 0 and len(prof) == 3 + 2
