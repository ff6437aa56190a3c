"""``glasstools hessian`` / ``glasstools inm`` on dumps written by plain LAMMPS, via the console script."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from glasstools.analysis.hessian import hessian
from glasstools.analysis.modes import inm
from glasstools.cli import main
from glasstools.io.tables import read_table
from glasstools.models import get_model

EXE = Path(sys.executable).with_name("glasstools")
CMD = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "glasstools.cli"]


def _run(*args, check=True):
    res = subprocess.run([*CMD, *map(str, args)], capture_output=True, text=True)
    if check:
        assert res.returncode == 0, res.stderr
    return res


@pytest.fixture
def ka_dump(lammps_config, tmp_path):
    cfg = lammps_config("ka_lj", n=200, seed=31, minimize_steps=10)
    cfg.lmp.command("displace_atoms all move 0.3 -0.2 0.1")  # some atoms leave [0, L): wrapped on dump
    cfg.lmp.command("run 0")
    path = tmp_path / "f.lammpstrj"
    cfg.lmp.command(f"write_dump all custom {path} id type x y z modify sort id format float %.17g")
    return cfg, path


def test_hessian_command_matches_library(ka_dump, tmp_path):
    cfg, dump = ka_dump
    _run("hessian", dump, "--model", "ka_lj_fs", "-o", tmp_path / "H.npz")
    h = sp.load_npz(tmp_path / "H.npz")
    ref = hessian(cfg.positions, cfg.box_len, cfg.model, cfg.types)
    assert h.shape == (600, 600)
    assert abs(h - ref).max() <= 1e-9 * abs(ref).max()


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_inm_command_writes_modes_and_metadata(ka_dump, tmp_path, method):
    cfg, dump = ka_dump
    out = tmp_path / f"modes_{method}.parquet"
    _run("inm", dump, "--model", "ka_lj_fs", "--method", method, "-o", out)
    df, meta = read_table(out)
    ref = inm(hessian(cfg.positions, cfg.box_len, cfg.model, cfg.types), 3, method="dense", modes="all")
    assert meta["N"] == 200 and meta["dim"] == 3 and meta["method"] == method
    assert meta["n_unstable"] == ref.n_unstable > 0
    assert meta["f_u"] == pytest.approx(ref.n_unstable / 597, rel=1e-15)
    assert meta["source"] == str(dump.resolve()) and meta["frame"] == -1
    assert len(df) == (597 if method == "dense" else max(20, ref.n_unstable))
    assert df["unstable"].sum() == ref.n_unstable
    assert np.allclose(df["eigenvalue"], ref.eigenvalues[: len(df)], rtol=1e-8, atol=1e-8)


def test_per_atom_diameters_from_dump(tmp_path):
    rng = np.random.default_rng(5)
    n, box = 60, 3.2
    pos = rng.random((n, 3)) * box
    diam = rng.uniform(0.9, 1.3, n)
    ids = rng.permutation(n) + 1
    rows = "\n".join(f"{i} 1 {d} {x} {y} {z}" for i, d, (x, y, z) in zip(ids, diam, pos))
    dump = tmp_path / "d.lammpstrj"
    dump.write_text(f"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{n}\nITEM: BOX BOUNDS pp pp pp\n"
                    f"0 {box}\n0 {box}\n0 {box}\nITEM: ATOMS id type diameter x y z\n{rows}\n")
    _run("hessian", dump, "--model", "harmonic_spheres", "-o", tmp_path / "H.npz")
    order = np.argsort(ids)
    ref = hessian(pos[order], np.full(3, box), get_model("harmonic_spheres"), np.ones(n, int), diam[order])
    assert abs(sp.load_npz(tmp_path / "H.npz") - ref).max() <= 1e-12 * abs(ref).max()


def test_errors_name_the_parameter(ka_dump, tmp_path, capsys):
    _, dump = ka_dump
    cases = [(["inm", dump, "--model", "nope"], ["--model", "ka_lj_fs"]),
             (["hessian", dump, "--model", "ka_lj_fs", "--frame", "3"], ["frame 3"]),
             (["hessian", dump, "--model", "harmonic_spheres"], ["--model harmonic_spheres defines types 1..1"])]
    for argv, words in cases:
        with pytest.raises(SystemExit) as exc:
            main([*map(str, argv), "-o", str(tmp_path / "x.npz")])
        err = capsys.readouterr().err
        assert exc.value.code == 2 and all(w in err for w in words), err
    assert not (tmp_path / "x.npz").exists()
