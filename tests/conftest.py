"""Shared fixtures: small random configurations built and evaluated by LAMMPS."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from glasstools.configuration import Frame
from glasstools.lammps.session import open_lammps
from glasstools.models import get_model

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"


def run_workflow(workdir: Path, cfg: dict) -> Path:
    """Run the real Snakefile on ``cfg`` (as the user's --configfile) in ``workdir``; its results/."""
    (workdir / "config.yaml").write_text(yaml.safe_dump(cfg))
    res = subprocess.run([str(SNAKEMAKE), "-s", str(ROOT / "Snakefile"), "--directory", str(workdir),
                          "--configfile", str(workdir / "config.yaml"), "--cores", "2"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    return workdir / "results"


class LammpsConfig:
    """A LAMMPS instance holding one configuration; positions/forces are id-ordered numpy arrays."""

    diameters = None

    def __init__(self, model, box_len, counts, seed, overlap=0.0, minimize_steps=0, dim=3):
        self.model, self.dim = model, dim
        self.box_len = np.full(dim, float(box_len))
        lmp = self.lmp = open_lammps()
        zhi = f"{box_len}" if dim == 3 else "0.5"
        zlo = "0" if dim == 3 else "-0.5"
        lmp.commands_list([
            "units lj", f"dimension {dim}", "atom_style atomic", "atom_modify map array",
            "boundary p p p", f"region box block 0 {box_len} 0 {box_len} {zlo} {zhi}",
            f"create_box {len(counts)} box",
        ])
        for t, c in enumerate(counts, start=1):
            ov = f"overlap {overlap} maxtry 200" if overlap else ""
            lmp.command(f"create_atoms {t} random {c} {seed + t} box {ov}")
        lmp.commands_list(["mass * 1.0", *model.lammps_commands(),
                           "neighbor 0.3 bin", "neigh_modify every 1 delay 0 check yes",
                           "thermo_modify norm no"])
        if dim == 2:
            lmp.command("fix 2d all enforce2d")
        if minimize_steps:
            lmp.command(f"minimize 0 0 {minimize_steps} {10 * minimize_steps}")
        self.n = lmp.get_natoms()
        self.types = self._gather("type", 0, 1).astype(int).ravel()
        self.lmp.command("run 0")

    def _gather(self, name, kind, count):
        return np.ctypeslib.as_array(self.lmp.gather_atoms(name, kind, count)).reshape(self.n, count).copy()

    @property
    def frame(self) -> Frame:
        """The current configuration (positions, box, types, diameters) as a ``Frame``."""
        return Frame(self.positions, self.box_len, self.types, diameters=self.diameters)

    @property
    def positions(self):
        return self._gather("x", 1, 3)[:, : self.dim]

    def set_positions(self, pos):
        full = self._gather("x", 1, 3)
        full[:, : self.dim] = pos
        self.lmp.scatter_atoms("x", 1, 3, np.ctypeslib.as_ctypes(full.ravel()))
        self.lmp.command("run 0")

    @property
    def forces(self):
        return self._gather("f", 1, 3)[:, : self.dim]

    @property
    def energy(self):
        return float(self.lmp.get_thermo("pe"))

    def fd_hessian(self, h=1e-6):
        """Central finite differences of LAMMPS forces: H_kl = -(F_l(x+h e_k) - F_l(x-h e_k)) / 2h."""
        x0 = self.positions
        flat = x0.ravel()
        out = np.empty((flat.size, flat.size))
        for k in range(flat.size):
            f = []
            for s in (h, -h):
                x = flat.copy()
                x[k] += s
                self.set_positions(x.reshape(x0.shape))
                f.append(self.forces.ravel())
            out[k] = -(f[0] - f[1]) / (2 * h)
        self.set_positions(x0)
        return out

    def close(self):
        self.lmp.close()


def ka_lj(n=160, seed=1, minimize_steps=20, dim=3):
    """KA-LJ (P1 force-shifted) 80:20 at rho = 1.204, random with overlap 0.7, briefly minimised."""
    box = (n / 1.204) ** (1.0 / dim)
    na = int(round(0.8 * n))
    return LammpsConfig(get_model("ka_lj_fs"), box, [na, n - na], seed, overlap=0.7,
                        minimize_steps=minimize_steps, dim=dim)


def harmonic(n=150, seed=1, diameters=(1.0,), phi=0.73, minimize_steps=0, dim=3):
    """Harmonic spheres at packing fraction phi, equal numbers of each per-type diameter."""
    d = np.asarray(diameters, float)
    counts = [n // len(d)] * len(d)
    counts[0] += n - sum(counts)
    vol = np.sum(np.asarray(counts) * np.pi / 6 * d**3) / phi if dim == 3 else \
        np.sum(np.asarray(counts) * np.pi / 4 * d**2) / phi
    return LammpsConfig(get_model("harmonic_spheres", diameters=tuple(d), fractions=tuple(np.asarray(counts) / n)), vol ** (1.0 / dim), counts,
                        seed, minimize_steps=minimize_steps, dim=dim)


@pytest.fixture
def lammps_config():
    """Factory fixture: ``lammps_config(kind, **kw)`` with kind 'ka_lj' or 'harmonic'; closed after."""
    made = []

    def make(kind, **kw):
        cfg = {"ka_lj": ka_lj, "harmonic": harmonic}[kind](**kw)
        made.append(cfg)
        return cfg

    yield make
    for cfg in made:
        cfg.close()
