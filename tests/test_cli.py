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
from glasstools.configuration import Frame
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
    ref = hessian(cfg.frame, cfg.model)
    assert h.shape == (600, 600)
    assert abs(h - ref).max() <= 1e-9 * abs(ref).max()


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_inm_command_writes_modes_and_metadata(ka_dump, tmp_path, method):
    cfg, dump = ka_dump
    out = tmp_path / f"modes_{method}.parquet"
    _run("inm", dump, "--model", "ka_lj_fs", "--method", method, "-o", out)
    df, meta = read_table(out)
    ref = inm(hessian(cfg.frame, cfg.model), 3, method="dense", modes="all")
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
    ref = hessian(Frame(pos[order], np.full(3, box), 1, diameters=diam[order]), get_model("harmonic_spheres"))
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


def _write(path, rows, cols="id type x y z", box=6.0, header_lines=None):
    text = (f"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{len(rows)}\nITEM: BOX BOUNDS pp pp pp\n"
            f"0 {box}\n0 {box}\n0 {box}\nITEM: ATOMS {cols}\n" + "".join(r + "\n" for r in rows))
    if header_lines is not None:  # cut the file inside the header
        text = "".join(text.splitlines(keepends=True)[:header_lines])
    path.write_text(text)
    return path


def test_dump_without_type_column_refused_unless_types_given(ka_dump, tmp_path):
    """Section 2: a dump without 'type' was read as all type A (wrong f_u, exit 0)."""
    cfg, _ = ka_dump
    plain = tmp_path / "plain.lammpstrj"
    cfg.lmp.command(f"write_dump all custom {plain} id x y z modify sort id format float %.17g")
    res = _run("hessian", plain, "--model", "ka_lj_fs", "-o", tmp_path / "H.npz", check=False)
    assert res.returncode != 0 and str(plain) in res.stderr and "no 'type' column" in res.stderr
    assert "--types" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "H.npz").exists()
    types = tmp_path / "types.txt"
    types.write_text(" ".join(map(str, cfg.types)) + "\n")
    _run("hessian", plain, "--model", "ka_lj_fs", "--types", types, "-o", tmp_path / "H.npz")
    ref = hessian(cfg.frame, cfg.model)
    assert abs(sp.load_npz(tmp_path / "H.npz") - ref).max() <= 1e-12 * abs(ref).max()
    _run("hessian", plain, "--model", "ka_lj_fs", "--types", "1", "-o", tmp_path / "H1.npz")  # all A
    # a single-species model needs no --types; --types with a typed dump is refused
    _run("hessian", plain, "--model", "lj_fs", "-o", tmp_path / "H2.npz")
    res = _run("hessian", ka_dump[1], "--model", "ka_lj_fs", "--types", "1", "-o", tmp_path / "x.npz", check=False)
    assert res.returncode != 0 and "has a 'type' column" in res.stderr
    res = _run("hessian", plain, "--model", "ka_lj_fs", "--types", "1,2", "-o", tmp_path / "x.npz", check=False)
    assert res.returncode != 0 and "2 types given for 200 atoms" in res.stderr


@pytest.mark.parametrize("command", ["hessian", "inm"])
def test_coincident_atoms_named(tmp_path, command):
    """Section 2: two atoms at one position gave a non-finite matrix (hessian) / LAPACK error (inm)."""
    rows = ["1 1 0.5 0.5 0.5", "2 1 2.0 2.0 2.0", "7 1 1.0 1.0 1.0", "3 1 1.0 1.0 1.0", "5 1 3.0 1.0 2.0"]
    dump = _write(tmp_path / "same.lammpstrj", rows)
    for model in ("harmonic_spheres", "lj_fs"):
        res = _run(command, dump, "--model", model, "-o", tmp_path / "out", check=False)
        assert res.returncode != 0, res.stdout
        assert "same position" in res.stderr and "(3, 7)" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()


def test_truncated_dump_names_file_and_frame(tmp_path):
    """Section 2: a dump cut inside the box header gave a raw IndexError."""
    rows = ["1 1 0.5 0.5 0.5", "2 1 1.5 1.5 1.5"]
    for cut in (2, 5, 6, 8):
        dump = _write(tmp_path / f"cut{cut}.lammpstrj", rows, header_lines=cut)
        res = _run("hessian", dump, "--model", "harmonic_spheres", "-o", tmp_path / "H.npz", check=False)
        assert res.returncode != 0 and "Traceback" not in res.stderr
        assert f"{dump}: frame 0" in res.stderr and "truncated" in res.stderr, res.stderr
