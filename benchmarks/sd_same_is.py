"""Does adaptive RKC reach Euler's inherent structure once it starts in the same basin? (issue 15)

From Euler's fixed-W snapshot at log10 W = ``--levels`` of each KA-LJ benchmark sample
(``benchmarks/sd_integrators.py``, cached runs), RKC (tol ``--tol``) continues the descent to
W = 1e-16; its IS is compared with the IS of the Euler run that passed through that snapshot:
same minimum when Delta = (1/N) sum_i |r^A - r^B|^2 < 1e-8. Early levels (the trajectory still
crosses saddles) measure how sensitive the final minimum is; late levels whether RKC itself
changes the minimum of a basin it has entered.

Usage: python benchmarks/sd_same_is.py [--samples 8] [--levels -3 -4.5 -6 -9] [--tol 1e-3]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from sd_integrators import SYSTEMS  # noqa: E402

from glasstools.analysis.landscape import delta_ab  # noqa: E402
from glasstools.lammps.dump import read_dump  # noqa: E402
from glasstools.lammps.protocols import SDSettings, fixed_w_dump_name, state_data, steepest_descent  # noqa: E402
from glasstools.models import get_model  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--levels", nargs="+", type=float, default=[-3.0, -4.5, -6.0, -9.0])
    ap.add_argument("--tol", type=float, default=1e-3)
    ap.add_argument("--ref", default="euler")
    ap.add_argument("--out", default=str(Path(__file__).parent / "out" / "sd_integrators"))
    args = ap.parse_args(argv)
    spec = SYSTEMS["ka"]
    model = get_model(spec["model"])
    out = Path(args.out) / "ka"
    print(f"| from {args.ref} snapshot log10 W | RKC tol {args.tol:g}: same IS (Delta < 1e-8) | median Delta | force calls (mean) |")
    print("|---|---|---|---|")
    for lw in args.levels:
        deltas, calls = [], []
        for k in range(args.samples):
            ref = out / f"s{k}" / args.ref
            wd = out / f"s{k}" / f"same_is_{lw:+.1f}_rkc_{args.tol:g}"
            wd.mkdir(parents=True, exist_ok=True)
            snap = read_dump(ref / fixed_w_dump_name(lw))
            data = state_data(model, snap, np.zeros_like(snap.positions), wd / "start.data", wd / "data.log")
            res = steepest_descent(model, data, wd, SDSettings(dt=spec["dt"], integrator="rkc", tol=args.tol,
                                                                seed=1000 + k, logW_targets=(), W_is=1e-16,
                                                                max_time=1e4), log=wd / "sd.log")
            A, B = read_dump(ref / "IS.lammpstrj"), read_dump(wd / "IS.lammpstrj")
            deltas.append(delta_ab(A.positions, B.positions, A.box_len))
            calls.append(res.force_calls)
        d = np.array(deltas)
        print(f"| {lw:g} | {np.sum(d < 1e-8)}/{len(d)} | {np.median(d):.1e} | {np.mean(calls):.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
