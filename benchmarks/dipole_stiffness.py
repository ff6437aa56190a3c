"""Dipole stiffness kappa_ij and shear modulus G of one N = 8000 inherent structure: one sparse
factorisation with block solves (``glasstools.analysis.elasticity``) vs conjugate gradient per
dipole (P4's method, Sec. II / App. A: x = M^-1 d by CG on the translation-free subspace).

Configuration: P4's mBLJ (``p4_mblj``, Table I: rho = 1.2, N = 8000), random start (overlap 0.7),
50 CG steps, NVT at T = 1.0 for 1000 steps (dt = 0.005, tau = 0.2), then LAMMPS ``minimize`` (cg) to
max_i |F_i| <= 1e-10 (``--dump`` keeps/reuses it). Dipoles: ``random_dipoles(frame, model, 1000,
seed=0)`` (uniform over interacting pairs).

Parts, each in its own subprocess so that its peak resident memory (``ru_maxrss``, whole process
incl. ~0.2 GB of imports) is its own:
  factor  Hessian build, one Cholesky of the grounded Hessian (``hessian_factor``, Pardiso when
          available), kappa_ij of all dipoles by block solves (``dipole_stiffness``, 256 per block,
          M^-1 and M^-2 from the same solve: kappa = d.z / z.z);
  G       Hessian, one factorisation, Born term, Xi and Xi.M^-1.Xi (``shear_terms``);
  cg      scipy ``cg`` per dipole on the (singular, translation-invariant) Hessian from x0 = 0 (the
          iterates stay orthogonal to the translations because d is), rtol ``--cg-rtol``, no
          preconditioner; the same kappa formula. When CG for all dipoles would be too slow it runs
          the first ``--cg-dipoles`` of them and the time is extrapolated linearly (stated in the table).
The table gives time per part, kappa agreement (max relative |kappa_cg / kappa_factor - 1| over the
CG subset), the speed-up (CG time for all dipoles, measured or extrapolated, over factor time) and
``uptime`` load averages at the start of each part (the machine is shared), wall and CPU time
(``process_time``, all threads of the process). Every part runs with ``--threads`` BLAS/MKL/OpenMP
threads (default 1): with the library default, numpy's threaded BLAS made each CG iteration's
vector operations 15x slower in CPU time on this loaded 2-core machine (10.8 s instead of 0.70 s
CPU per dipole), which would flatter the factorisation. Loading the sparse library (pypardiso
finds MKL in ~0.7 s, once per process) is done before the timing.
Usage: python benchmarks/dipole_stiffness.py [--n 8000] [--dipoles 1000] [--cg-dipoles 20]
       [--cg-rtol 1e-12] [--threads 1] [--dump PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

MODEL = "p4_mblj"


def make_is(n, path, seed=11, rho=1.2):
    from glasstools.lammps.deck import system_commands
    from glasstools.lammps.session import lammps_session
    from glasstools.models import get_model
    from glasstools.systems import box_length

    box = box_length(n, rho)
    with lammps_session() as lmp:
        lmp.commands_list([*system_commands(get_model(MODEL), N=n, box_len=box, seed=seed, overlap=0.7),
                           "neighbor 0.3 bin", "neigh_modify every 1 delay 0 check yes", "thermo_modify norm no",
                           "minimize 0 0 50 500", "reset_timestep 0", "timestep 0.005",
                           f"velocity all create 1.0 {seed} dist gaussian",
                           "fix nvt all nvt temp 1.0 1.0 0.2", "run 1000", "unfix nvt",
                           "min_style cg", "min_modify norm max", "minimize 0 1e-10 200000 2000000",
                           f"write_dump all custom {path} id type x y z modify sort id format float %.17g"])
        f = np.ctypeslib.as_array(lmp.gather_atoms("f", 1, 3))
    return float(np.abs(f).max())


def load():
    return os.getloadavg()[0]


def child(part, dump, n_dipoles, cg_dipoles, cg_rtol, out):
    from glasstools.analysis import elasticity as el
    from glasstools.analysis.hessian import hessian
    from glasstools.lammps.dump import read_dump
    from glasstools.linalg import factor
    from glasstools.models import get_model

    clock = time.perf_counter
    model, frame = get_model(MODEL), read_dump(dump)
    pairs = el.random_dipoles(frame, model, n_dipoles, seed=0)
    with factor(sp.identity(3, format="csr"), kind="cholesky"):      # load the sparse library outside the timing
        pass
    res = {"load": load()}
    c0 = time.process_time()
    t0 = clock()
    if part == "factor":
        f = el.hessian_factor(frame, model)
        t1 = clock()
        kappa = el.dipole_stiffness(frame, model, pairs, factor=f)
        t2 = clock()
        res.update(factor_s=t1 - t0, solve_s=t2 - t1, total_s=t2 - t0, backend=f.factor.backend, **f.factor.stats())
        f.free()
        np.save(out, kappa)
    elif part == "G":
        f = el.hessian_factor(frame, model)
        t1 = clock()
        parts = el.shear_terms(frame, model, factor=f)
        t2 = clock()
        res.update(factor_s=t1 - t0, shear_s=t2 - t1, total_s=t2 - t0, G=parts.G, born=parts.born / parts.volume,
                   relaxation=parts.relaxation / parts.volume)
        f.free()
    else:
        import scipy.sparse.linalg as spla

        h = hessian(frame, model).tocsr()
        t1, c1 = clock(), time.process_time()
        d = el.dipole_vectors(frame, pairs[:cg_dipoles]).toarray()
        kappa, iters = [], []
        for k in range(d.shape[1]):
            it = [0]
            z, info = spla.cg(h, d[:, k], rtol=cg_rtol, atol=0.0, maxiter=200000,
                              callback=lambda _x: it.__setitem__(0, it[0] + 1))
            if info:
                raise RuntimeError(f"CG did not converge for dipole {k} (info {info})")
            kappa.append(d[:, k] @ z / (z @ z))
            iters.append(it[0])
        t2 = clock()
        res.update(build_s=t1 - t0, build_cpu_s=c1 - c0, cg_s=t2 - t1, per_dipole_s=(t2 - t1) / d.shape[1],
                   per_dipole_cpu_s=(time.process_time() - c1) / d.shape[1], iters_mean=float(np.mean(iters)),
                   iters_max=int(np.max(iters)))
        np.save(out, np.array(kappa))
    res["cpu_s"] = time.process_time() - c0
    res["maxrss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(json.dumps(res))


def run_child(args, part, out):
    cmd = [sys.executable, __file__, "--child", part, "--dump", str(args.dump), "--dipoles", str(args.dipoles),
           "--cg-dipoles", str(args.cg_dipoles), "--cg-rtol", str(args.cg_rtol), "--out", out]
    threads = str(args.threads)
    env = {**os.environ, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode:
        raise RuntimeError(f"part {part} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=8000)
    ap.add_argument("--dipoles", type=int, default=1000)
    ap.add_argument("--cg-dipoles", type=int, default=20, help="dipoles solved by CG (<= --dipoles)")
    ap.add_argument("--cg-rtol", type=float, default=1e-12)
    ap.add_argument("--threads", type=int, default=1, help="BLAS/MKL/OpenMP threads of every part")
    ap.add_argument("--dump", type=Path, default=None, help="IS dump (made if absent, kept)")
    ap.add_argument("--child", choices=("factor", "G", "cg"))
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.dump, args.dipoles, args.cg_dipoles, args.cg_rtol, args.out)
    with tempfile.TemporaryDirectory() as tmp:
        if args.dump is None:
            args.dump = Path(tmp) / f"is_{MODEL}_{args.n}.dump"
        if not args.dump.exists():
            t0 = time.perf_counter()
            fmax = make_is(args.n, args.dump)
            print(f"# IS: {MODEL}, N = {args.n}, max |F_i| = {fmax:.2e}, made in {time.perf_counter() - t0:.0f} s")
        rows = {}
        for part in ("factor", "G", "cg"):
            rows[part] = run_child(args, part, str(Path(tmp) / f"{part}.npy"))
        k_fac = np.load(Path(tmp) / "factor.npy")
        k_cg = np.load(Path(tmp) / "cg.npy")
    m = len(k_cg)
    dk = float(np.abs(k_cg / k_fac[:m] - 1.0).max())
    fac, g, cg = rows["factor"], rows["G"], rows["cg"]
    cg_all = cg["build_s"] + cg["per_dipole_s"] * args.dipoles
    cg_cpu = cg["build_cpu_s"] + cg["per_dipole_cpu_s"] * args.dipoles
    how = "measured" if m == args.dipoles else f"extrapolated from {m}"
    print(f"# {MODEL} IS, N = {args.n}, {args.dipoles} random interacting dipoles (seed 0); factor backend "
          f"{fac['backend']}, factor nnz {fac.get('factor_nnz', 0):.3g}; {args.threads} thread(s) per part")
    print(f"{'part':<34} {'load':>5} {'wall_s':>9} {'cpu_s':>9} {'peak_RSS_GB':>11}  notes")
    print(f"{'kappa: factor + block solves':<34} {fac['load']:>5.1f} {fac['total_s']:>9.2f} {fac['cpu_s']:>9.2f} "
          f"{fac['maxrss_gb']:>11.2f}  "
          f"Hessian + factor {fac['factor_s']:.2f} s, solves {fac['solve_s']:.2f} s; kappa median "
          f"{np.median(k_fac):.4g}, range {k_fac.min():.3g} .. {k_fac.max():.3g}")
    print(f"{'kappa: CG per dipole (P4)':<34} {cg['load']:>5.1f} {cg_all:>9.1f} {cg_cpu:>9.1f} "
          f"{cg['maxrss_gb']:>11.2f}  {how} (Hessian {cg['build_s']:.2f} s + {cg['per_dipole_s']:.2f} s/dipole, {cg['iters_mean']:.0f} iterations mean, "
          f"{cg['iters_max']} max, rtol {args.cg_rtol:g})")
    print(f"{'speed-up CG / factor':<34} {'':>5} {cg_all / fac['total_s']:>9.1f} {cg_cpu / fac['cpu_s']:>9.1f} "
          f"{'':>11}  "
          f"max |kappa_cg/kappa_factor - 1| = {dk:.1e} over {m} dipoles")
    print(f"{'G: one factorisation':<34} {g['load']:>5.1f} {g['total_s']:>9.2f} {g['cpu_s']:>9.2f} "
          f"{g['maxrss_gb']:>11.2f}  "
          f"G = {g['G']:.6g} (Born/V {g['born']:.6g} - relaxation/V {g['relaxation']:.6g}); "
          f"Hessian + factor {g['factor_s']:.2f} s, Born + Xi + solve {g['shear_s']:.2f} s")


if __name__ == "__main__":
    main()
