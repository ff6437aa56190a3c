"""Implicit Euler (proximal) steps versus adaptive RKC in the late, convex phase of steepest descent
(issue 15 candidate; measured, not selectable).

Implicit Euler for zeta dr/dt = F: r_{n+1} = argmin_r E(r) + zeta |r - r_n|^2 / (2h), i.e.
zeta (r_{n+1} - r_n)/h = F(r_{n+1}) (the proximal step; Parikh & Boyd, Found. Trends Optim. 1, 127
(2014), Sec. 4.1.1). In LAMMPS: ``fix spring/self K`` with K = zeta/h anchored at r_n,
``fix_modify energy yes`` and ``minimize`` (CG) until the inner force norm is below ``inner`` x
|F(r_n)|; W of the pair forces by ``run 0`` after ``unfix``. Error control in W as for RKC: the
local error of backward Euler est = (h / 2 zeta)(F_{n+1} - F_n) (the second-order term of the
Taylor series), one more force call at r_{n+1} + est, accept when |W(r+est) - W(r)| <= tol W;
first order, so h_new = h min(5, max(0.2, 0.8 err^(-1/2))). Force calls: every evaluation the
minimiser reports (``Iterations, force evaluations``) plus every ``run 0``.

Compared over the same segment (from the fixed-W snapshot ``--from`` of the profile run of
``sd_rkc_profile.py`` down to ``--to``): force calls, and the error of W(t) on the log-t grid
against an RKC reference at tol 1e-6. Usage:
  python benchmarks/sd_proximal.py [--system ka] [--from -6.0] [--to -14] [--tols 1e-3 1e-2]
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from sd_integrators import SYSTEMS  # noqa: E402

from glasstools.lammps.deck import create_system  # noqa: E402
from glasstools.lammps.dump import read_dump  # noqa: E402
from glasstools.lammps.rkc import RKCStepper, run_adaptive  # noqa: E402
from glasstools.lammps.schedule import FirstBelow, Rows, TimeGrid  # noqa: E402
from glasstools.lammps.session import lammps_session  # noqa: E402
from glasstools.models import get_model  # noqa: E402

FORCE_VARS = ["variable f2 atom fx*fx+fy*fy+fz*fz", "compute fsq all reduce sum v_f2",
              "variable W equal c_fsq/atoms", "thermo_style custom step pe v_W",
              "neighbor 0.3 bin", "neigh_modify every 1 delay 0 check yes", "thermo_modify norm no"]


def _setup(lmp, model, frame):
    create_system(lmp, model, frame.types, frame.positions, frame.box_lo, frame.box_len, frame.diameters)
    lmp.commands_list(FORCE_VARS)


def rkc_segment(model, frame, W_end, t_end, tol, log, grid):
    with lammps_session(model=model, log=log) as lmp:
        _setup(lmp, model, frame)
        lmp.commands_list(["timestep 1e-4", "fix sd all sd/rkc 1.0 7"])
        rows = Rows(lambda run: dict(run.values), grid)
        obs = [rows, FirstBelow("W", [W_end], lambda run, lv: run.stop())]
        st = RKCStepper(lmp, tol)
        run_adaptive(lmp, st, obs, t_end, h0=1e-3, snapshot_rtol=1e-3,
                     probe=lambda l: {"W": float(l.extract_variable("W"))})
        return rows.rows, st.force_calls


class Proximal:
    def __init__(self, lmp, tol, log, inner=1e-2, zeta=1.0):
        self.lmp, self.tol, self.log, self.inner, self.zeta = lmp, tol, log, inner, zeta
        self.force_calls = 0
        self.n = lmp.get_natoms()

    def _x(self):
        return np.ctypeslib.as_array(self.lmp.gather_atoms("x", 1, 3)).reshape(self.n, 3).copy()

    def _f(self):
        return np.ctypeslib.as_array(self.lmp.gather_atoms("f", 1, 3)).reshape(self.n, 3).copy()

    def _set_x(self, x):
        self.lmp.scatter_atoms("x", 1, 3, np.ctypeslib.as_ctypes(np.ascontiguousarray(x).ravel()))

    def evaluate(self):
        self.lmp.command("run 0 post no")
        self.force_calls += 1
        return float(self.lmp.extract_variable("W")), self._f()

    def minimise_calls(self):
        text = Path(self.log).read_text()
        return sum(int(m) for m in re.findall(r"Iterations, force evaluations = \d+ (\d+)", text))

    def step(self, h, x0, F0):
        """Implicit Euler from (x0, F0): returns (x1, W1, F1, err)."""
        K = float(self.zeta / h)
        fnorm = math.sqrt(float((F0 * F0).sum()))
        before = self.minimise_calls()
        self.lmp.commands_list([f"fix prox all spring/self {K!r}", "fix_modify prox energy yes",
                                f"minimize 0.0 {self.inner * fnorm!r} 10000 100000", "unfix prox"])
        self.force_calls += self.minimise_calls() - before
        x1 = self._x()
        W1, F1 = self.evaluate()
        dx = (h / (2 * self.zeta)) * (F1 - F0)
        self._set_x(x1 + dx)
        W2, _ = self.evaluate()
        self._set_x(x1)
        err = abs(W2 - W1) / (self.tol * W1)
        return x1, W1, F1, err


def proximal_segment(model, frame, W_end, t_end, tol, log, grid, inner):
    times = [float(v) for v in grid.times]
    out = []
    with lammps_session(model=model, log=log) as lmp:
        _setup(lmp, model, frame)
        lmp.commands_list(["min_style cg", "min_modify norm two"])
        p = Proximal(lmp, tol, log, inner)
        W, F = p.evaluate()
        x = p._x()
        t, h = 0.0, 1e-3
        out.append({"t": 0.0, "W": W})
        while t < t_end and W > W_end:
            t_next = next((tg for tg in times if tg > t * (1 + 1e-12)), t_end)
            step = min(h, t_next - t)
            x1, W1, F1, err = p.step(step, x, F)
            if err > 1.0:
                p._set_x(x)
                h = step * max(0.2, 0.8 * err ** -0.5)
                continue
            t += step
            x, W, F = x1, W1, F1
            if abs(t - t_next) <= 1e-12 * t_next:
                out.append({"t": t_next, "W": W})
            grow = min(5.0, 0.8 * err ** -0.5) if err > 0 else 5.0
            h = max(h, step * grow) if step < h else step * grow
        return out, p.force_calls


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--system", default="ka", choices=list(SYSTEMS))
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--from", dest="lw0", type=float, default=-6.0)
    ap.add_argument("--to", dest="lw1", type=float, default=-14.0)
    ap.add_argument("--t-end", type=float, default=1e4)
    ap.add_argument("--tols", nargs="+", type=float, default=[1e-3, 1e-2])
    ap.add_argument("--inner", type=float, default=1e-2, help="inner CG stop: |F_total| <= inner |F(r_n)|")
    ap.add_argument("--out", default=str(Path(__file__).parent / "out" / "sd_integrators"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    model = get_model(SYSTEMS[args.system]["model"])
    src = out / "profile" / f"{args.system}_s{args.sample}_rkc_0.001" / f"fixedW_{args.lw0:+.1f}.lammpstrj"
    frame = read_dump(src)
    wd = out / "proximal"
    wd.mkdir(parents=True, exist_ok=True)
    W_end = 10.0 ** args.lw1
    grid = TimeGrid.log(1e-3, args.t_end, 10)
    ref, ref_calls = rkc_segment(model, frame, W_end, args.t_end, 1e-6, wd / "ref.log", grid)
    tr, Wr = np.array([r["t"] for r in ref]), np.array([r["W"] for r in ref])

    def error(rows):
        t, W = np.array([r["t"] for r in rows]), np.array([r["W"] for r in rows])
        m = (t > 0) & (t <= tr.max())
        return float(np.max(np.abs(W[m] / np.exp(np.interp(np.log(t[m]), np.log(tr[tr > 0]), np.log(Wr[tr > 0]))) - 1)))

    print(f"{args.system} s{args.sample} from log W = {args.lw0} to {args.lw1} ({src.name}); "
          f"reference RKC tol 1e-6: {ref_calls} calls, t = {tr.max():.4g}")
    print("| method | tol | force calls | max abs(W/W_ref - 1) on the log-t grid | t reached |")
    print("|---|---|---|---|---|")
    for tol in args.tols:
        rows, calls = rkc_segment(model, frame, W_end, args.t_end, tol, wd / f"rkc_{tol:g}.log", grid)
        print(f"| rkc | {tol:g} | {calls} | {error(rows):.2e} | {rows[-1]['t']:.4g} |", flush=True)
        rows, calls = proximal_segment(model, frame, W_end, args.t_end, tol, wd / f"prox_{tol:g}.log",
                                       grid, args.inner)
        print(f"| proximal (implicit Euler, CG inner {args.inner:g}) | {tol:g} | {calls} | {error(rows):.2e} | "
              f"{rows[-1]['t']:.4g} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
