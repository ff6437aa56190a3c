"""P3 rules through real Snakemake and LAMMPS: a p3-only config (no `systems`), one tiny glass and one
tiny crystal, every rule from the liquid to the figures; the tables are consistent with each other."""

import numpy as np
import pytest

from conftest import run_workflow
from glasstools.io import read_table

CFG = {"seed": 3,
       "p3": {"glass": {"N": [256], "T": [0.01]}, "crystal": {"N": [256], "T": [0.1]},
              "protocol": {"liquid_time": 2.0, "anneal_time": 1.0, "production_time": 2.0},
              "lifetimes": {"theory_stride": 64}, "theory": {"sigma": 0.4}}}
FIGS = ("msd", "tau", "tau_T", "jdos", "dr_series", "events", "far_field", "basin", "energy", "equipartition")


@pytest.fixture(scope="module")
def p3_run(tmp_path_factory):
    return run_workflow(tmp_path_factory.mktemp("wfp3"), CFG)


def test_p3_workflow_tables_and_figures(p3_run):
    table, _ = read_table(p3_run / "p3" / "table_I.parquet")
    assert sorted(table["kind"]) == ["crystal", "glass"]
    crystal = table[table["kind"] == "crystal"].iloc[0]
    assert not crystal["rearranges"] and crystal["events"] == 0 and crystal["steps"] == 20
    for kind, T in (("glass", "0.01"), ("crystal", "0.1")):
        d = p3_run / "p3" / kind / "N256" / f"T{T}" / "s0"
        steps, md = read_table(d / "is_trajectory.parquet")
        assert len(steps) == 21 and md["minimiser"] == "fire"
        rearranges = bool(table[table["kind"] == kind]["rearranges"].iloc[0])
        modes, mmd = read_table(d / "modes.parquet")
        assert (len(modes) == 0) == rearranges            # lifetimes only for a fixed IS
        if not rearranges:
            assert len(modes) == 3 * 256 - 3
            have = np.isfinite(modes["tau_theory"].to_numpy(float))
            np.testing.assert_array_equal(np.flatnonzero(have), np.arange(0, 765, 64))
            assert mmd["theory"] == {"width": 5.0, "cutoff_sigmas": 3.0, "sigma": 0.4}   # config -> p3_modes -> linewidths
        frames, _ = read_table(d / "frames.parquet")   # a stable state at T, not a glass still descending
        assert frames["temp"].mean() == pytest.approx(float(T), rel=0.3)
        msd, _ = read_table(d / "msd.parquet")
        assert msd["msd"].iloc[0] == 0.0 and (msd["msd"].iloc[1:] > 0).all()
    for name in FIGS:
        assert (p3_run / "figures" / f"p3_{name}.png").stat().st_size > 1000
