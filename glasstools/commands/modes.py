"""``glasstools hessian`` and ``glasstools inm``: Hessian and instantaneous normal modes of a dump frame.

Row/column order of the Hessian: atom id ascending, then x, y(, z). Per-atom diameters come
from the dump's ``diameter``/``radius`` column when present, else from the model's per-type
diameters (see ``glasstools.analysis.hessian`` and ``glasstools.analysis.modes``). Atom types
come from the dump's ``type`` column; a dump without one needs ``--types`` unless the model
has a single species. Coincident atoms or non-finite pair terms are refused with the atom ids.
"""
from __future__ import annotations

import json
from pathlib import Path


def _common(p):
    from ..models import MODELS

    p.add_argument("dump", help="LAMMPS text dump (write_dump/dump custom with id type x y z)")
    p.add_argument("--model", required=True, choices=sorted(MODELS), help="pair model")
    p.add_argument("--model-params", default="{}", help="JSON dict of model parameters")
    p.add_argument("--frame", type=int, default=-1, help="frame index in the dump (Python-style, -1 = last)")
    p.add_argument("--dim", type=int, default=3, choices=(2, 3), help="spatial dimension")
    p.add_argument("--types", default=None,
                   help="atom types for a dump without a 'type' column: one type for all atoms (e.g. 1), "
                        "a comma-separated list, or a file of whitespace-separated types (one per atom, "
                        "id order); not needed for single-species models")


def register(sub):
    p = sub.add_parser("hessian", help="sparse analytic Hessian of one dump frame -> .npz (CSR)")
    _common(p)
    p.add_argument("-o", "--output", required=True, help="scipy.sparse .npz file to write")
    p.set_defaults(func=_hessian_cmd)

    q = sub.add_parser("inm", help="instantaneous normal modes of one dump frame -> Parquet table")
    _common(q)
    q.add_argument("--method", default="auto", choices=("auto", "dense", "sparse"),
                   help="dense: LAPACK on the full matrix; sparse: Cholesky of M - sigma I below the spectrum "
                        "+ block Davidson (glasstools.analysis.modes); auto: dense if DN <= --dense-max-dof")
    q.add_argument("--modes", choices=("all", "unstable"), default=None,
                   help="rows written: all DN-D modes (dense path only; its default) or every "
                        "unstable mode and at least the --n-lowest lowest (sparse default)")
    q.add_argument("--dense-max-dof", type=int, default=6000)
    q.add_argument("--n-lowest", type=int, default=20, help="least number of lowest modes computed")
    q.add_argument("-o", "--output", required=True, help="Parquet table to write")
    q.set_defaults(func=_inm_cmd)


def parse_types(text: str):
    """``--types``: an integer (every atom), a comma-separated list, or a file of integers."""
    import numpy as np

    text = text.strip()
    try:
        if Path(text).is_file():
            return np.loadtxt(text, dtype=int, ndmin=1).ravel()
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise ValueError(f"--types {text!r}: give an integer type, a comma-separated list of integers, "
                         "or a file of integers") from None
    if not values:
        raise ValueError("--types is empty")
    return values[0] if len(values) == 1 else np.array(values)


def load_frame_hessian(args):
    """(Frame, model, Hessian) for the dump frame and model named in ``args``."""
    from ..analysis.hessian import hessian
    from ..lammps.dump import dump_columns, read_dump
    from ..models import get_model

    try:
        params = json.loads(args.model_params)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--model-params is not valid JSON: {exc}") from None
    model = get_model(args.model, **params)
    if args.types is not None and "type" in dump_columns(args.dump):
        raise ValueError(f"--types: {args.dump} has a 'type' column; --types is only for dumps without one")
    types = parse_types(args.types) if args.types is not None else (1 if model.ntypes == 1 else None)
    frame = read_dump(args.dump, frame=args.frame, dim=args.dim, types=types)
    if frame.types.max() > model.ntypes or frame.types.min() < 1:
        raise ValueError(f"--model {args.model} defines types 1..{model.ntypes}; dump has types "
                         f"{sorted(set(frame.types.tolist()))}")
    h = hessian(frame, model)
    return frame, model, h


def _hessian_cmd(args):
    import scipy.sparse as sp

    from ..io.tables import atomic_path

    _, _, h = load_frame_hessian(args)
    with atomic_path(args.output) as tmp, open(tmp, "wb") as fh:
        sp.save_npz(fh, h.tocsr())


def _inm_cmd(args):
    import numpy as np
    import pandas as pd

    from ..analysis.modes import inm
    from ..io.tables import write_table

    frame, model, h = load_frame_hessian(args)
    dense = args.method == "dense" or (args.method == "auto" and h.shape[0] <= args.dense_max_dof)
    modes = args.modes or ("all" if dense else "unstable")
    if modes == "all" and not dense:
        raise ValueError("--modes all needs the dense path (--method dense or a larger --dense-max-dof)")
    res = inm(h, frame.dim, method="dense" if dense else "sparse", n_lowest=args.n_lowest, modes=modes)
    df = pd.DataFrame({"mode": np.arange(len(res.eigenvalues)), "eigenvalue": res.eigenvalues,
                       "participation_ratio": res.pr, "unstable": res.eigenvalues < -res.tol})
    meta = {"f_u": res.f_u, "n_unstable": res.n_unstable, "n_modes": res.n_modes, "N": frame.n,
            "dim": frame.dim, "model": model.describe(), "method": res.method, "tolerance": res.tol,
            "source": str(Path(args.dump).resolve()), "frame": args.frame, "timestep": frame.timestep,
            "rows": "all modes" if modes == "all" else
                    f"lowest {len(df)} modes (all {res.n_unstable_resolved} unstable resolved)"}
    write_table(df, args.output, meta)
