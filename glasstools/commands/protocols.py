"""``glasstools prepare`` and ``glasstools quench``: the LAMMPS protocols, run under MPI.

Run as ``mpiexec -n K glasstools quench ...``; every rank executes the same command, rank 0
writes the tables.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from ..lammps.protocols import INTEGRATORS, SDSettings


def _model(args):
    from ..models import get_model

    return get_model(args.model, **json.loads(args.model_params))


def _float_or_inf(text: str) -> float:
    return math.inf if str(text).lower() in ("inf", "infinity") else float(text)


def _common(p):
    p.add_argument("--model", required=True, help="model name (glasstools.models.MODELS)")
    p.add_argument("--model-params", default="{}", help="JSON dict of model parameters")
    p.add_argument("--seed", type=int, required=True, help="random seed (positive integer)")
    p.add_argument("--dim", type=int, choices=(2, 3), default=3, help="dimension (P0's 2D systems: 2)")
    p.add_argument("--log", required=True, help="LAMMPS log file")
    p.add_argument("--meta", default="{}", help="JSON dict stored in the tables' metadata")


def register(sub):
    p = sub.add_parser("prepare", help="equilibrium (NVT+NVE) or random (T=inf) sample -> data file")
    _common(p)
    p.add_argument("--N", type=int, required=True)
    p.add_argument("--density", type=float, required=True, help="number density N/V")
    p.add_argument("--T", type=_float_or_inf, required=True, help="temperature, or 'inf'")
    p.add_argument("--dt", type=float, default=0.005)
    p.add_argument("--tdamp", type=float, default=0.5, help="Nose-Hoover damping time")
    p.add_argument("--nvt-time", type=float, default=100.0)
    p.add_argument("--nve-time", type=float, default=100.0)
    p.add_argument("--packing-fraction", type=float, default=None,
                   help="polydisperse models: size the box from the sampled diameters at this "
                        "packing fraction (overrides --density)")
    p.add_argument("--diameter-ratio", type=float, default=None,
                   help="polydisperse models: d_min/d_max of f(d) ~ d^-3 (default: the model's)")
    p.add_argument("--diameter-sampling", choices=("quantiles", "random"), default="quantiles",
                   help="polydisperse models: midpoint quantiles of f(d) in random order (same set "
                        "for every sample) or independent draws")
    p.add_argument("--swap-every", type=int, default=0,
                   help="hybrid swap: MD steps between swap sweeps during NVT (0 = plain MD)")
    p.add_argument("--swap-attempts", type=int, default=0, help="swap attempts per sweep")
    p.add_argument("--swap-delta", type=float, default=0.2,
                   help="swap only pairs with |d_i - d_j| < delta")
    p.add_argument("--table", default=None,
                   help="Parquet table (one row) with the sample's state and swap statistics")
    p.add_argument("-o", "--output", required=True, help="LAMMPS data file to write")
    p.set_defaults(func=_prepare)

    q = sub.add_parser("quench", help="steepest-descent dynamics with fixed-W snapshots")
    _common(q)
    q.add_argument("data", help="LAMMPS data file (start configuration)")
    q.add_argument("--dt", type=float, required=True, help="Euler time step of zeta dr/dt = F")
    q.add_argument("--dt-start", type=float, default=None,
                   help="Euler step until --t-start (stiff hot start); default dt/20")
    q.add_argument("--t-start", type=float, default=0.02)
    q.add_argument("--zeta", type=float, default=1.0)
    q.add_argument("--integrator", choices=INTEGRATORS, default="euler",
                   help="euler (fix brownian, reference) or rkc (adaptive Runge-Kutta-Chebyshev)")
    q.add_argument("--tol", type=float, default=SDSettings.tol,
                   help="rkc: local relative error in W per step")
    q.add_argument("--tol-late", type=float, default=None,
                   help="rkc tolerance schedule: tol after the first accepted step with W < --tol-switch-W")
    q.add_argument("--tol-switch-W", type=float, default=None,
                   help="rkc tolerance schedule: W below which --tol-late replaces --tol (latched)")
    q.add_argument("--snapshot-rtol", type=float, default=SDSettings.snapshot_rtol,
                   help="rkc: fixed-W snapshots have W in [L(1 - rtol), L) for target L")
    q.add_argument("--logW", type=float, nargs="+", required=True, help="fixed-W targets log10 W")
    q.add_argument("--W-is", type=float, default=1e-16, help="W at which the IS is declared")
    q.add_argument("--max-time", type=float, default=1e4)
    q.add_argument("--per-decade", type=int, default=10, help="output times per decade of t")
    q.add_argument("--prepare-table", default=None,
                   help="the start's prepare table: its state/swap metadata is copied into the "
                        "tables' metadata under 'preparation'")
    q.add_argument("-o", "--outdir", required=True)
    q.set_defaults(func=_quench)


def _prepare(args):
    from ..lammps.protocols import prepare_sample

    from mpi4py import MPI

    from ..io import write_table

    if args.T <= 0:
        raise SystemExit(f"--T must be > 0 or 'inf' (got {args.T})")
    swap = None
    if args.swap_every > 0:
        if args.swap_attempts < 1:
            raise SystemExit(f"--swap-attempts must be >= 1 with --swap-every (got {args.swap_attempts})")
        swap = {"every": args.swap_every, "attempts": args.swap_attempts, "delta": args.swap_delta}
    model = _model(args)
    info = prepare_sample(model, N=args.N, density=args.density, T=args.T, seed=args.seed,
                          data_out=args.output, log=args.log, dt=args.dt, tdamp=args.tdamp,
                          nvt_time=args.nvt_time, nve_time=args.nve_time,
                          packing_fraction=args.packing_fraction,
                          diameter_ratio=args.diameter_ratio, swap=swap,
                          diameter_sampling=args.diameter_sampling, dim=args.dim)
    if args.table is None or MPI.COMM_WORLD.Get_rank() != 0:
        return
    meta = {**json.loads(args.meta), **model.describe(), "protocol": "prepare",
            "equilibration": ("random (T = inf)" if math.isinf(args.T) else
                              "hybrid swap: NVT MD + fix swap/diameter sweeps, then NVE" if swap
                              else "NVT MD (Nose-Hoover) then NVE"),
            "dt": args.dt, "tdamp": args.tdamp, "nvt_time": args.nvt_time, "nve_time": args.nve_time,
            "mpi_ranks": MPI.COMM_WORLD.Get_size(), "data": str(args.output), **info,
            "units": "reduced LJ (epsilon, sigma, m=1); e_pot per particle"}
    write_table(pd.DataFrame([{k: v for k, v in info.items() if not isinstance(v, (dict, list))}]),
                args.table, meta)


def _quench(args):
    from mpi4py import MPI

    from ..io import write_table
    from ..lammps.protocols import steepest_descent

    settings = SDSettings(dt=args.dt, dt_start=args.dt_start, t_start=args.t_start, zeta=args.zeta, logW_targets=tuple(args.logW),
                          W_is=args.W_is, max_time=args.max_time, per_decade=args.per_decade,
                          seed=args.seed, integrator=args.integrator, tol=args.tol,
                          snapshot_rtol=args.snapshot_rtol, tol_late=args.tol_late,
                          tol_switch_W=args.tol_switch_W)
    model = _model(args)
    out = Path(args.outdir)
    res = steepest_descent(model, args.data, out, settings, log=args.log, dim=args.dim)
    if MPI.COMM_WORLD.Get_rank() != 0:
        return
    prep = {}
    if args.prepare_table:
        from ..io import read_table

        prep = {"preparation": {k: v for k, v in read_table(args.prepare_table)[1].items()
                                if k not in ("versions",)}}
    meta = {**json.loads(args.meta), **prep, **model.describe(), "protocol": "steepest_descent",
            "dt": args.dt, "dt_start": settings.dt_start or args.dt / 20, "t_start": args.t_start,
            "zeta": args.zeta, "W_is": args.W_is, "max_time": args.max_time,
            "seed": args.seed, "dim": args.dim, "source": str(args.data), "converged": res.converged,
            "integrator": args.integrator, "force_calls": res.force_calls,
            **({"tol": args.tol, "snapshot_rtol": args.snapshot_rtol} if args.integrator == "rkc" else {}),
            **({"tol_late": args.tol_late, "tol_switch_W": args.tol_switch_W, "tol_switched": res.tol_switched}
               if args.tol_late is not None else {}),
            "pushes": res.pushes, "mpi_ranks": MPI.COMM_WORLD.Get_size(),
            "units": "reduced LJ (epsilon, sigma, m=1); t in sqrt(m sigma^2/epsilon)"}
    write_table(pd.DataFrame(res.snapshots), out / "snapshots.parquet", meta)
    write_table(pd.DataFrame(res.trajectory), out / "trajectory.parquet", meta)
