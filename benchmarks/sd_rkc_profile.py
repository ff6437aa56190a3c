"""Where the force calls of adaptive RKC steepest descent go (issue 15): per decade of t and of W.

Runs one sample of each benchmark system (``benchmarks/sd_integrators.py``: same starts, same
settings) with ``RKCStepper.trace`` on and tabulates every try by the decade of t (and of W) it
started in: force calls (stages + probe + power iterations inside the try), tries, rejections,
mean stage count s, median h, median h lambda_max, mean accepted error (err = local W error / tol),
and what chose h: ``free`` (the error controller), ``grid`` (clipped to land on a log-t output
time), ``stages`` (the stage cap), ``land`` (step-back tries for a fixed-W snapshot). Calls outside
the tries (set-up, ``run 0`` at every stop, power iterations after rejections) are ``other``.

Usage: python benchmarks/sd_rkc_profile.py [--systems ka hs] [--sample 0] [--tol 1e-3]
       [--integrator rkc] [--out benchmarks/out/sd_integrators]
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from sd_integrators import SYSTEMS, start  # noqa: E402

from glasstools.lammps import protocols, rkc  # noqa: E402
from glasstools.lammps.protocols import SDSettings, steepest_descent  # noqa: E402
from glasstools.models import get_model  # noqa: E402


def traced_run(name: str, k: int, tol: float, integrator: str, out: Path, **extra):
    spec = SYSTEMS[name]
    data = start(name, spec, k, out)
    steppers = []
    orig = protocols.RKCStepper

    def make(*a, **kw):
        st = orig(*a, **kw)
        st.trace = []
        steppers.append(st)
        return st

    protocols.RKCStepper = make
    try:
        wd = out / "profile" / f"{name}_s{k}_{integrator}_{tol:g}"
        t0 = time.perf_counter()
        res = steepest_descent(get_model(spec["model"]), data, wd,
                               SDSettings(dt=spec["dt"], integrator=integrator, tol=tol, seed=1000 + k,
                                          **{**spec["sd"], **extra}), log=wd / "sd.log")
        wall = time.perf_counter() - t0
    finally:
        protocols.RKCStepper = orig
    return res, pd.DataFrame(steppers[0].trace), wall


def table(tr: pd.DataFrame, total: int, by: str) -> pd.DataFrame:
    tr = tr.copy()
    x = tr["t"].clip(lower=1e-4) if by == "t" else tr["W"].clip(lower=1e-30)
    tr["decade"] = np.floor(np.log10(x)).astype(int)
    tr["acc"] = tr["err"] <= 1.0
    tr["hlam"] = tr["h"] * tr["lam"]
    g = tr.groupby("decade")
    df = pd.DataFrame({
        "calls": g["calls"].sum(), "tries": g.size(), "rejected": g["acc"].apply(lambda a: int((~a).sum())),
        "s_mean": g["s"].mean(), "h_median": g["h"].median(), "hlam_median": g["hlam"].median(),
        "err_acc_mean": g.apply(lambda d: d.loc[d["acc"], "err"].mean()),
    })
    for kind in ("free", "grid", "stages", "land"):
        df[f"calls_{kind}"] = g.apply(lambda d: int(d.loc[d["kind"] == kind, "calls"].sum()))
    df = df.sort_index(ascending=(by == "t"))
    df.loc["other"] = np.nan
    df.loc["other", "calls"] = total - tr["calls"].sum()
    return df


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", nargs="+", default=["ka", "hs"], choices=list(SYSTEMS))
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--tol", type=float, default=1e-3)
    ap.add_argument("--integrator", default="rkc")
    ap.add_argument("--out", default=str(Path(__file__).parent / "out" / "sd_integrators"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    pd.set_option("display.width", 250, "display.max_columns", 30)
    for name in args.systems:
        res, tr, wall = traced_run(name, args.sample, args.tol, args.integrator, out)
        print(f"\n## {name} sample {args.sample} {args.integrator} tol {args.tol:g}: {res.force_calls} force calls, "
              f"{wall:.1f} s, t_end {res.trajectory[-1]['t']:.4g}, W_end {res.trajectory[-1]['W']:.3g}, "
              f"pushes {res.pushes}")
        for by in ("t", "W"):
            print(f"\nper decade of {by}:")
            print(table(tr, res.force_calls, by).to_string(float_format=lambda v: f"{v:.3g}"))
        tr.to_csv(out / "profile" / f"{name}_s{args.sample}_{args.integrator}_{args.tol:g}_trace.csv", index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
