"""Euler versus adaptive Runge-Kutta-Chebyshev steepest descent from the same starts (issue 15).

Systems (one process, 1 MPI rank, samples in turn; starts cached in ``--out``):
  ka: KA-LJ (``ka_lj_fs``) N = 1000, rho = 1.204, equilibrated at T = 2 (NVT 25 + NVE 25), quenched
      to W = 1e-16 (IS) with the 16 fixed-W levels log10 W = -1.5 ... -9 (P1), Euler dt = 5e-4
      (dt/20 until t = 0.02, the workflow default);
  hs: harmonic spheres N = 1000, phi = 0.73, T = inf (uniform random), quenched to t = 1000 with
      levels -1.5 ... -5.5, Euler dt = 0.05.
For each sample both integrators start from the same data file. Reported per system and
integrator: force calls (LAMMPS force evaluations, set-ups included) and wall seconds per sample;
the ratio R(t) = <W>_rkc / <W>_euler of the ensemble means on the log-t grid (10 per decade,
``analysis.relaxation.ensemble_on_log_grid``) with its statistical error (standard errors of the
two means combined; samples are independent between integrators after the trajectories part at
saddles) and the fraction of grid points with |R - 1| <= 2 sigma; beta from W ~ t^-2beta
(``fit_relaxation_exponent``, per-sample fits, mean +- s.e.) on the demo windows (ka: t in
[0.1, 3], hs: [0.5, 50]) and the paired difference beta_rkc - beta_euler (mean +- s.e.); the
fraction of samples whose two inherent structures coincide (Delta = (1/N) sum |r^A - r^B|^2 < 1e-8,
ka only: hs stops at t = 1000); the largest |W/L - 1| of the fixed-W snapshots.

Usage: python benchmarks/sd_integrators.py [--samples 8] [--systems ka hs] [--variants rkc_0.001 euler_dt2 rkc_1e-05_0.1_W0.01]
       [--out benchmarks/out/sd_integrators]
Writes ``summary.md`` (the README table) and ``runs.parquet`` (one row per sample and integrator).
"""
from __future__ import annotations

import argparse
import math
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from glasstools.analysis.landscape import delta_ab
from glasstools.analysis.relaxation import ensemble_on_log_grid, fit_relaxation_exponent, log_time_grid
from glasstools.lammps.dump import read_dump
from glasstools.lammps.protocols import SDSettings, prepare_sample, steepest_descent
from glasstools.models import get_model
from glasstools.systems import density_from_packing_fraction

LEVELS_KA = tuple(-1.5 - 0.5 * k for k in range(16))
SYSTEMS = {
    "ka": dict(model="ka_lj_fs", N=1000, T=2.0, density=1.204, dt=5e-4, window=(0.1, 3.0),
               sd=dict(logW_targets=LEVELS_KA, W_is=1e-16, max_time=1e4)),
    "hs": dict(model="harmonic_spheres", N=1000, T=math.inf, phi=0.73, dt=0.05, window=(0.5, 50.0),
               sd=dict(logW_targets=tuple(-1.5 - 0.5 * k for k in range(9)), W_is=1e-30, max_time=1000.0)),
}


def start(name: str, spec: dict, k: int, out: Path) -> Path:
    model = get_model(spec["model"])
    path = out / name / f"s{k}" / "start.data"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        rho = spec.get("density") or density_from_packing_fraction(spec["phi"], [1.0], model.fractions)
        prepare_sample(model, N=spec["N"], density=rho, T=spec["T"], seed=1000 + k, data_out=path,
                       log=path.parent / "prepare.log", nvt_time=25.0, nve_time=25.0)
    return path


def variant(label: str, spec: dict) -> dict:
    """SDSettings fields of a benchmark variant: ``euler`` (the demo step dt), ``euler_dt<k>`` (Euler
    at dt/k, dt_start/k: how far two Euler runs part, a finer reference), ``rkc_<tol>``,
    ``rkc_<tol>_<tol_late>_W<tol_switch_W>`` (the tolerance schedule: tol until W < tol_switch_W)."""
    if label == "euler":
        return dict(dt=spec["dt"], integrator="euler")
    if label.startswith("euler_dt"):
        k = int(label[len("euler_dt"):])
        return dict(dt=spec["dt"] / k, dt_start=spec["dt"] / (20 * k), integrator="euler")
    kind, tol, *schedule = label.split("_")
    if schedule:
        late, switch = schedule
        if not switch.startswith("W"):
            raise ValueError(f"variant {label!r}: expected rkc_<tol>_<tol_late>_W<tol_switch_W>")
        return dict(dt=spec["dt"], integrator=kind, tol=float(tol), tol_late=float(late),
                    tol_switch_W=float(switch[1:]))
    return dict(dt=spec["dt"], integrator=kind, tol=float(tol))


def quench(name: str, spec: dict, k: int, label: str, data: Path, out: Path) -> tuple:
    model = get_model(spec["model"])
    wd = out / name / f"s{k}" / label
    settings = SDSettings(seed=1000 + k, **variant(label, spec), **spec["sd"])
    done = wd / "run.parquet"
    if done.exists():   # cached: rerun the analysis without rerunning the quench
        return (pd.read_parquet(done).iloc[0].to_dict(), pd.read_parquet(wd / "trajectory.parquet"),
                pd.read_parquet(wd / "snapshots.parquet"), wd)
    t0 = time.perf_counter()
    res = steepest_descent(model, data, wd, settings, log=wd.parent / f"{label}.log")
    wall = time.perf_counter() - t0
    traj = pd.DataFrame(res.trajectory).assign(sample=k, integrator=label)
    snaps = pd.DataFrame(res.snapshots).assign(sample=k, integrator=label)
    row = {"system": name, "sample": k, "integrator": label, "force_calls": res.force_calls,
           "wall_s": wall, "load_1min": os.getloadavg()[0], "t_end": float(traj["t"].iloc[-1]),
           "W_end": float(traj["W"].iloc[-1]), "converged": res.converged, "pushes": res.pushes,
           "t_switch": res.tol_switched[0] if res.tol_switched else math.nan}
    traj.to_parquet(wd / "trajectory.parquet")
    snaps.to_parquet(wd / "snapshots.parquet")
    pd.DataFrame([row]).to_parquet(done)
    return row, traj, snaps, wd


def compare(name: str, spec: dict, rows: pd.DataFrame, traj: pd.DataFrame, snaps: pd.DataFrame,
            ref: str, label: str, out: Path) -> dict:
    a, b = traj[traj["integrator"] == ref], traj[traj["integrator"] == label]
    t_hi = min(a.groupby("sample")["t"].max().min(), b.groupby("sample")["t"].max().min())
    grid = log_time_grid(1e-3, t_hi, 10)
    ea, eb = ensemble_on_log_grid(a, grid, ("W",)), ensemble_on_log_grid(b, grid, ("W",))
    R = eb["W_mean"] / ea["W_mean"]
    sig = R * np.hypot(eb["W_sem"] / eb["W_mean"], ea["W_sem"] / ea["W_mean"])
    fa, fb = fit_relaxation_exponent(a, spec["window"]), fit_relaxation_exponent(b, spec["window"])
    pa, pb = fa["per_sample"].set_index("sample"), fb["per_sample"].set_index("sample")
    dbeta = (pb["beta"] - pa["beta"]).dropna()
    ra, rb = rows[rows["integrator"] == ref], rows[rows["integrator"] == label]
    same, parted = [], {}
    if spec["sd"]["W_is"] >= 1e-20:
        # Delta between the two runs' configurations at every fixed-W level and at the IS: where
        # the trajectories part (same snapshot = Delta < 1e-8)
        files = snaps[snaps["integrator"] == ref].drop_duplicates("file").sort_values("logW_target", ascending=False)
        for lw, f in zip(files["logW_target"], files["file"]):
            d = []
            for k in sorted(rb["sample"]):
                A = read_dump(out / name / f"s{k}" / ref / f)
                B = read_dump(out / name / f"s{k}" / label / f)
                d.append(delta_ab(A.positions, B.positions, A.box_len))
            parted[round(float(lw), 1)] = (float(np.median(d)), float(np.mean(np.array(d) < 1e-8)))
        same = [parted[round(float(files["logW_target"].iloc[-1]), 1)][1]]
    sn = snaps[snaps["integrator"] == label]
    sn_err = np.abs(sn["W"] / 10.0 ** sn["logW_target"] - 1)
    se = snaps[snaps["integrator"] == ref]
    se_err = np.abs(se["W"] / 10.0 ** se["logW_target"] - 1)
    return {
        "system": name, "integrator": label, "ref": ref, "samples": len(rb),
        "force_calls_ref": ra["force_calls"].mean(), "force_calls": rb["force_calls"].mean(),
        "call_ratio": ra["force_calls"].sum() / rb["force_calls"].sum(),
        "wall_ref": ra["wall_s"].mean(), "wall": rb["wall_s"].mean(),
        "R_min": float(R.min()), "R_max": float(R.max()),
        "R_within_2sigma": float(np.mean(np.abs(R - 1) <= 2 * sig)),
        "R_t_range": (float(grid[0]), float(grid[-1])),
        "beta_ref": (fa["beta"], fa["beta_err"]), "beta": (fb["beta"], fb["beta_err"]),
        "dbeta": (float(dbeta.mean()), float(dbeta.std(ddof=1) / np.sqrt(len(dbeta))) if len(dbeta) > 1 else math.nan),
        "same_is": (same[0] if same else math.nan), "parted": parted,
        "snap_err_max": float(sn_err.max()) if len(sn) else math.nan,
        "snap_err_max_ref": float(se_err.max()) if len(se) else math.nan,
        "R_table": pd.DataFrame({"t": grid, "R": R, "sigma": sig}),
    }


def markdown(results: list[dict], load: tuple) -> str:
    lines = [f"load average (1 min) at start / end: {load[0]:.1f} / {load[1]:.1f} (2 cores)", "",
             "| system | variant vs reference | samples | force calls ref / variant (ratio) | wall s ref / variant "
             "| <W>_var/<W>_ref: range, fraction within 2σ (t range) | β ref | β variant | β_var − β_ref (paired) "
             "| same IS | max snapshot abs(W/L − 1) variant (ref) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        b0, b1, db = r["beta_ref"], r["beta"], r["dbeta"]
        same = "—" if math.isnan(r["same_is"]) else f"{r['same_is']:.0%}"
        lines.append(
            f"| {r['system']} | {r['integrator']} vs {r['ref']} | {r['samples']} | {r['force_calls_ref']:.0f} / "
            f"{r['force_calls']:.0f} ({r['call_ratio']:.1f}×) | {r['wall_ref']:.1f} / {r['wall']:.1f} | "
            f"{r['R_min']:.2f} … {r['R_max']:.2f}, {r['R_within_2sigma']:.0%} "
            f"({r['R_t_range'][0]:g} … {r['R_t_range'][1]:.3g}) | {b0[0]:.3f} ± {b0[1]:.3f} | "
            f"{b1[0]:.3f} ± {b1[1]:.3f} | {db[0]:+.3f} ± {db[1]:.3f} | "
            f"{same} | "
            f"{r['snap_err_max']:.1e} ({r['snap_err_max_ref']:.1e}) |")
    lines += ["", "Where the runs part: median Delta to the reference run (and fraction < 1e-8) at each fixed-W level "
              "log10 W and at the IS:", ""]
    for r in results:
        if r["parted"]:
            lines.append(f"- {r['system']} {r['integrator']} vs {r['ref']}: " + ", ".join(
                f"{lw:g}: {d:.1e} ({f:.0%})" for lw, (d, f) in r["parted"].items()))
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--systems", nargs="+", default=["ka", "hs"], choices=list(SYSTEMS))
    ap.add_argument("--variants", nargs="+", default=["rkc_0.001"],
                    help="compared with the reference: rkc_<tol>, euler_dt<k> (Euler at dt/k), euler")
    ap.add_argument("--ref", default="euler", help="reference variant (euler or euler_dt<k>)")
    ap.add_argument("--out", default=str(Path(__file__).parent / "out" / "sd_integrators"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    load0 = os.getloadavg()[0]
    rows, results = [], []
    for name in args.systems:
        spec = SYSTEMS[name]
        trajs, snaps = [], []
        for k in range(args.samples):
            data = start(name, spec, k, out)
            for label in [args.ref] + [v for v in args.variants if v != args.ref]:
                row, tr, sn, _ = quench(name, spec, k, label, data, out)
                rows.append(row), trajs.append(tr), snaps.append(sn)
                print(f"{name} s{k} {label}: {row['force_calls']} calls, {row['wall_s']:.1f} s, "
                      f"t_end {row['t_end']:.4g}, W_end {row['W_end']:.3g}", flush=True)
        R, T, S = pd.DataFrame(rows), pd.concat(trajs), pd.concat(snaps)
        for label in args.variants:
            res = compare(name, spec, R[R["system"] == name], T, S, args.ref, label, out)
            results.append(res)
            res["R_table"].to_csv(out / f"{name}_{label}_vs_{args.ref}_W_ratio.csv", index=False)
    text = markdown(results, (load0, os.getloadavg()[0]))
    (out / "summary.md").write_text(text)
    pd.DataFrame(rows).to_parquet(out / "runs.parquet")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
