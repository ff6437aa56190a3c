"""P4 rules end to end (real Snakemake, real LAMMPS) on a p4-only configuration at tiny size:
state points, IS ensembles with G and kappa, transitions, propensity, collect, figures."""
import math

import numpy as np
import pytest

from conftest import run_workflow
from glasstools.io import read_table


TINY = {"seed": 5, "p4": {"models": [
    {"model": "p4_ipl10", "N": 128, "T": [2.0, 1.0], "overlap": 0.86, "equilibration": 4.0,
     "production": {"t_run": 10.0, "every": 0.1}, "inherent": {"n": 3, "dipoles": 40},
     "transitions": {"every": 0.05, "t_run": 0.5, "T": [1.0]}, "propensity": {"T": 1.0, "runs": 4},
     "mesoelastic": {"min_tau_ratio": 0.1, "n_boot": 50}},
    {"model": "p4_sw", "N": 64, "T": [0.06, 0.04], "equilibration": 13.0, "dynamics": False,
     "production": {"t_run": 6.5, "every": 0.65}, "inherent": {"n": 2, "dipoles": 20}},
]}}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_workflow(tmp_path_factory.mktemp("p4"), TINY)


def test_state_points_and_inherent_structures(run):
    s, meta = read_table(run / "p4/p4_ipl10/N128/summary.parquet")
    assert list(s["T"]) == [2.0, 1.0]                     # highest T_p first: the reference
    assert (abs(s["T_measured"] - s["T"]) < 5 * s["T_measured_err"] + 0.02 * s["T"]).all()
    assert s["tau_alpha_reached"].all() and (s["tau_alpha"] > s["tau_e"]).all()   # F_s: 1/e before 0.2
    assert (s["tau_alpha"].diff().iloc[1:] > 0).all() and (s["D"] > 0).all()
    assert s["kappa_rel"].iloc[0] == 1.0 and s["G_rel"].iloc[0] == 1.0
    assert s["large_type"].iloc[0] == 2                   # lambda_BB = 1.4: B is the large species
    for name in ("p4_ipl10/N128/T1", "p4_sw/N64/T0.04"):
        inh, _ = read_table(run / f"p4/{name}/inherent.parquet")
        assert inh["converged"].all() and (inh["G"] > 0).all() and (inh["kappa_mean"] > 0).all()
    sw, _ = read_table(run / "p4/p4_sw/N64/summary.parquet")
    assert "tau_alpha" not in sw and (sw["kappa"] > 0).all()
    fit, fmeta = read_table(run / "p4/p4_ipl10/N128/mesoelastic.parquet")
    assert fmeta["status"] == "ok" and fit["n_points"].iloc[0] == 2 and math.isfinite(fit["ell"].iloc[0])
    _, swmeta = read_table(run / "p4/p4_sw/N64/mesoelastic.parquet")
    assert swmeta["status"].startswith("not fitted")


def test_transitions_propensity_and_figures(run):
    tr, meta = read_table(run / "p4/p4_ipl10/N128/T1/transitions.parquet")
    rate = meta["rate"]
    assert len(tr) == 11 and rate["n_intervals"] == 10
    assert 0 <= rate["reduced_rate"] <= rate["reduced_cap"] + 1e-12
    assert rate["n_transitions"] == int(tr["jump"].sum())
    parts, pmeta = read_table(run / "p4/p4_ipl10/N128/propensity.parquet")
    assert len(parts) == 128 and (parts["mobility"] > 0).all() and np.isfinite(parts["kappa_i"]).all()
    assert {"most", "least"} <= set(parts["extreme"])
    assert set(parts.loc[parts["extreme"] != "", "type"]) == {2}       # large particles only
    cs, _ = read_table(run / "p4/p4_ipl10/N128/spearman.parquet")
    assert sorted(cs["type"]) == [1, 2] and (cs["C_s"].abs() <= 1).all()
    assert pmeta["t_mobility"] == pytest.approx(0.1 * pmeta["tau_alpha"])
    for k in ("fig3_relative_changes", "fig4_mesoelastic", "fig5_transitions", "fig9_stokes_einstein",
              "fig7_propensity"):
        assert (run / "figures" / f"p4_{k}.png").stat().st_size > 1000
