"""INM analysis time and peak memory vs N on instantaneous KA-LJ configurations.

Configuration per N: random (overlap 0.7) at rho = 1.204, 80:20, 50 CG steps to remove overlaps,
NVT at T = 2 for 1000 steps (dt = 0.005), then steepest descent (``min_style sd``) until
W = |F|^2/N <= 1e-2 (LAMMPS ftol = sqrt(N W)). Each (N, solver) runs in its own subprocess
(``--child``), which reads the dump, builds the Hessian and runs ``inm`` (exact unstable count and
every unstable eigenpair with its vector), so that its peak resident memory (``ru_maxrss``, whole
process incl. ~0.1-0.2 GB of imports) is that run's alone. Solvers:
  new    sparse, default: one single-precision Cholesky of H - sigma I (sigma < lambda_min) +
         block Davidson (Rayleigh-Ritz with the double-precision H); the count is that of the
         converged Ritz values below -tol, closed by a converged one above +tol;
  verify new + the exact LDL^T inertia count at -tol (``verify_count=True``);
  old    the previous path: LDL^T inertia at -tol, LDL^T refactorisation at sigma, ARPACK;
  dense  LAPACK (deflated translations, eigenvalues by value);
  lobpcg scipy.sparse.linalg.lobpcg with the same preconditioner, told the count n_u of ``new``
         (block of n_u + 8 vectors): the library baseline of the hand-written Davidson.
Phases (s): lam0 = Lanczos estimate of lambda_min, ana = METIS analysis, fact = numeric
factorisation(s), eig = eigensolver, count = inertia count (old: analysis + LDL^T at -tol).
The child's address space is capped (``--mem-gb``) and its time limited (``--timeout``); the
load average (1 min) at the start of each run is printed, the machine being shared.
Usage: python benchmarks/inm_scaling.py [--sizes 2000 8000 16000 32000] [--old-sizes 2000 8000 16000]
       [--dense-sizes 2000] [--verify-sizes 2000] [--lobpcg-sizes 8000] [--dump-dir DIR (reuse/keep the configurations)]
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


def make_liquid(n, path, seed=11):
    from glasstools.lammps.deck import system_commands
    from glasstools.lammps.session import lammps_session
    from glasstools.systems import box_length
    from glasstools.models import get_model

    box = box_length(n, 1.204)
    with lammps_session() as lmp:
        lmp.commands_list([*system_commands(get_model("ka_lj_fs"), N=n, box_len=box, seed=seed, overlap=0.7),
                           "neighbor 0.3 bin",
                           "neigh_modify every 1 delay 0 check yes", "thermo_modify norm no",
                           "minimize 0 0 50 500", "reset_timestep 0", "timestep 0.005",
                           f"velocity all create 2.0 {seed} dist gaussian",
                           "fix nvt all nvt temp 2.0 2.0 0.5", "run 1000", "unfix nvt",
                           "min_style sd", f"minimize 0 {np.sqrt(n * 1e-2):.6g} 100000 1000000",
                           f"write_dump all custom {path} id type x y z modify sort id format float %.17g"])
        f = np.ctypeslib.as_array(lmp.gather_atoms("f", 1, 3))
        w = float(np.dot(f, f) / n)
    return w


SOLVERS = {"new": dict(method="sparse"), "verify": dict(method="sparse", verify_count=True),
           "old": dict(method="sparse", sparse_solver="two-factor"), "dense": dict(method="dense")}


def lobpcg_baseline(h, n_count, extra=8, seed=0):
    """scipy's LOBPCG (the library block eigensolver) with the new path's preconditioner: the same
    single-precision Cholesky of H - sigma I, translations as constraints, n_count + ``extra``
    vectors (it is told how many unstable modes to find, which the Davidson path finds itself)."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    from glasstools import linalg
    from glasstools.analysis import modes as gm

    clock = time.perf_counter
    m = sp.csr_matrix(h)
    tol = gm.default_tol(m)
    stats = {}
    f = linalg.cholesky_below_spectrum(m, tol, precision="single", seed=seed, stats=stats)
    t0 = clock()
    n = m.shape[0]
    k = n_count + extra
    n_solves = [0]

    def prec(x):
        n_solves[0] += x.shape[1] if x.ndim == 2 else 1
        return f.solve(x)

    x0 = linalg.start_vector(n, seed, k)
    atol = 0.1 * tol  # the Davidson residual tolerance: 1e-9 of the Gershgorin bound
    vals, vecs = spla.lobpcg(m, x0, M=spla.LinearOperator(m.shape, matvec=prec, matmat=prec, dtype=float),
                             Y=linalg.translation_basis(n // 3, 3), tol=atol, largest=False, maxiter=500)
    t1 = clock()
    f.free()
    order = np.argsort(vals)
    vals, vecs = vals[order], vecs[:, order]
    resid = np.linalg.norm(m @ vecs - vecs * vals, axis=0)
    n_u = int(np.count_nonzero(vals < -tol))
    stats.update(eig_s=t1 - t0, n_solves=n_solves[0])
    return gm.INMResult(n_u, n - 3, n_u / (n - 3), "lobpcg", tol, vals, gm.participation_ratio(vecs, 3), vecs,
                        resid, stats)


def child(dump, solver, mem_gb, out_npy):
    lim = int(mem_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    from glasstools.analysis.hessian import hessian
    from glasstools.analysis.modes import inm
    from glasstools.lammps.dump import read_dump
    from glasstools.models import get_model

    fr = read_dump(dump)
    t0 = time.perf_counter()
    h = hessian(fr, get_model("ka_lj_fs"))
    t1 = time.perf_counter()
    if solver == "lobpcg":
        res = lobpcg_baseline(h, n_count=int(np.load(out_npy.replace("lobpcg", "new")).size))
    else:
        res = inm(h, 3, dense_max_dof=10**9, n_lowest=1, **SOLVERS[solver])
    t2 = time.perf_counter()
    np.save(out_npy, res.eigenvalues[res.unstable])
    st = res.stats
    resid = res.residuals if res.residuals is not None else np.linalg.norm(
        h @ res.vectors - res.vectors * res.eigenvalues, axis=0)
    print(json.dumps({"nnz": int(h.nnz), "build_s": t1 - t0, "inm_s": t2 - t1, "n_unstable": res.n_unstable,
                      "n_resolved": res.n_unstable_resolved, "lam_min": float(res.eigenvalues[0]),
                      "lam0_s": st.get("lam_min_estimate_s", np.nan), "ana_s": st.get("analysis_s", np.nan),
                      "fact_s": (st.get("factor_s", 0.0) + st.get("shift_factor_s", 0.0)) or np.nan,
                      "eig_s": st.get("eig_s", np.nan) if solver != "old" else st.get("arpack_s", np.nan),
                      "count_s": st.get("verify_s", np.nan), "n_solves": st.get("n_solves", 0),
                      "factor_nnz": st.get("factor_nnz", 0), "gflop": st.get("factor_gflop", np.nan),
                      "max_res": float(resid.max(initial=0.0)),
                      "maxrss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}))


COLS = ("{n:>6} {dof:>6} {nnz:>9} {W:>7} {solver:>6} {load:>5} {n_u:>5} {build:>6} {lam0:>6} {ana:>6} {fact:>7} "
        "{eig:>7} {count:>7} {total:>7} {peak:>7} {lnnz:>8} {gflop:>7} {solves:>6} {res:>8} {dlam:>8}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000, 16000, 32000])
    ap.add_argument("--old-sizes", type=int, nargs="*", default=[2000, 8000, 16000])
    ap.add_argument("--dense-sizes", type=int, nargs="*", default=[2000])
    ap.add_argument("--verify-sizes", type=int, nargs="*", default=[2000])
    ap.add_argument("--lobpcg-sizes", type=int, nargs="*", default=[8000])
    ap.add_argument("--dump-dir", type=Path, default=None,
                    help="keep the configurations here and reuse existing ones (default: a temporary folder)")
    ap.add_argument("--timeout", type=float, default=1800.0)
    ap.add_argument("--mem-gb", type=float, default=14.0)
    ap.add_argument("--child", nargs=3, metavar=("DUMP", "SOLVER", "OUT_NPY"))
    args = ap.parse_args()
    if args.child:
        dump, solver, out_npy = args.child
        return child(dump, solver, args.mem_gb, out_npy)
    print(f"# {os.cpu_count()} CPUs; load = 1-min load average at the start of each run; old path only at "
          f"N in {args.old_sizes}, dense at {args.dense_sizes}, verify_count=True at {args.verify_sizes}")
    print("# times in s, peak = peak RSS of the run's process (GB), lnnz = factor nonzeros (1e6), gflop = factor "
          "flops (1e9, one factorisation), dlam = max |lambda - lambda_new| over the unstable modes")
    print(COLS.format(n="N", dof="dof", nnz="nnz", W="W", solver="solver", load="load", n_u="n_u", build="build",
                      lam0="lam0", ana="ana", fact="fact", eig="eig", count="count", total="total", peak="peak",
                      lnnz="lnnz", gflop="gflop", solves="solves", res="max_res", dlam="dlam"), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        ddir = args.dump_dir or Path(tmp)
        ddir.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            dump = ddir / f"liquid_{n}.lammpstrj"
            wfile = dump.with_suffix(".W")
            if dump.exists() and wfile.exists():
                w = float(wfile.read_text())
            else:
                w = make_liquid(n, dump)
                wfile.write_text(repr(w))
            solvers = (["new"] + [s for s, sizes in (("verify", args.verify_sizes), ("old", args.old_sizes),
                                                    ("dense", args.dense_sizes), ("lobpcg", args.lobpcg_sizes)) if n in sizes])
            ref = None
            for solver in solvers:
                out_npy = Path(tmp) / f"lam_{n}_{solver}.npy"
                load = os.getloadavg()[0]
                cmd = [sys.executable, __file__, "--child", str(dump), solver, str(out_npy), "--mem-gb", str(args.mem_gb)]
                try:
                    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    print(f"{n:>6} {3 * n:>6} {'':>9} {w:>7.2g} {solver:>6} {load:>5.1f}  timed out after "
                          f"{args.timeout:.0f} s", flush=True)
                    continue
                if out.returncode:
                    print(f"{n:>6} {3 * n:>6} {'':>9} {w:>7.2g} {solver:>6} {load:>5.1f}  failed: "
                          f"{(out.stderr.strip().splitlines() or ['?'])[-1]}", flush=True)
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
                lam = np.load(out_npy)
                if ref is None:
                    ref = lam
                dlam = float(np.abs(lam - ref).max(initial=0.0)) if len(lam) == len(ref) else float("nan")
                f = lambda x, p=1: "-" if x is None or not np.isfinite(x) else f"{x:.{p}f}"  # noqa: E731
                print(COLS.format(n=n, dof=3 * n, nnz=r["nnz"], W=f"{w:.2g}", solver=solver, load=f"{load:.1f}",
                                  n_u=r["n_unstable"], build=f(r["build_s"]), lam0=f(r["lam0_s"]), ana=f(r["ana_s"]),
                                  fact=f(r["fact_s"]), eig=f(r["eig_s"]), count=f(r["count_s"]), total=f(r["inm_s"]),
                                  peak=f(r["maxrss_gb"], 2), lnnz=f(r["factor_nnz"] / 1e6 if r["factor_nnz"] else None, 0),
                                  gflop=f(r["gflop"], 0), solves=r["n_solves"], res=f"{r['max_res']:.1e}",
                                  dlam=f"{dlam:.1e}"), flush=True)


if __name__ == "__main__":
    main()
