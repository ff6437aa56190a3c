"""Render the model/system part of a LAMMPS input and run the protocol decks.

Protocol decks live in ``lammps_inputs/*.lmp`` and are plain LAMMPS scripts parameterised
by LAMMPS variables, so the very same file runs under ``lmp -in deck -var NAME VALUE``.
What depends on the model (atom types, pair style, composition) is written by
``system_commands`` into a small snippet the decks ``include``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..geometry import wrap
from ..models import PairModel
from ..resources import DECK_DIR
from ..systems import species_counts


def deck_path(name: str) -> Path:
    path = DECK_DIR / f"{name}.lmp"
    if not path.exists():
        raise FileNotFoundError(f"LAMMPS deck {path} not found")
    return path


def preamble(model: PairModel, dim: int = 3, atom_modify: str = "") -> list[str]:
    """Units, atom style, id map, ``dimension`` (2 or 3) and periodic boundaries for ``model``;
    ``atom_modify`` options are appended to ``map array``. Plugin styles (pair_style
    poly/nonadd) are autoloaded by LAMMPS (``glasstools.lammps.plugins``), so no ``plugin load``
    is needed. In 2D every box is periodic in x and y and the z extent is [-0.5, 0.5] with z = 0
    for every atom (LAMMPS manual, Howto 2d: ``dimension 2`` before the box, ``boundary p p p``,
    ``fix enforce2d``, see ``two_d_fix``)."""
    check_dim(dim)
    return ["units lj", f"atom_style {model.atom_style}",
            f"atom_modify map array{atom_modify}", f"dimension {dim}", "boundary p p p"]


def check_dim(dim) -> int:
    """``dim`` if it is 2 or 3, else ``ValueError`` naming it."""
    if dim not in (2, 3):
        raise ValueError(f"dim must be 2 or 3, got {dim!r}")
    return dim


def two_d_fix(dim: int) -> list[str]:
    """``fix enforce2d`` in 2D (zeroes z forces and velocities every step and in minimisations,
    LAMMPS manual, fix enforce2d), nothing in 3D. Defined right after the pair style, before the
    protocol's fixes; steepest descent's ``fix brownian`` moves only x, y in 2D itself."""
    return ["fix enforce2d all enforce2d"] if dim == 2 else []


def xyz(positions) -> np.ndarray:
    """(N, 3) coordinates for LAMMPS: (N, 2) positions get z = 0 (2D decks), (N, 3) pass through."""
    x = np.asarray(positions, dtype=float)
    return np.column_stack([x, np.zeros(len(x))]) if x.shape[1] == 2 else x


def unit_masses(model: PairModel) -> str:
    """m = 1 for every atom (sphere style derives masses from diameters, so reset them)."""
    return "set group all mass 1.0" if model.atom_style == "sphere" else "mass * 1.0"


def system_commands(model: PairModel, *, N: int | None = None, box_len: float | None = None,
                    seed: int | None = None, overlap: float = 0.0, data_in: str | None = None,
                    dim: int = 3) -> list[str]:
    """Commands that create (random start) or read (``data_in``) a system for ``model``.

    A random start places each species with ``create_atoms random`` (seeded, independent of
    the number of ranks); ``overlap`` > 0 rejects insertions closer than that distance.
    """
    atom_style = model.atom_style
    cmds = preamble(model, dim)
    if data_in is not None:
        cmds.append(f"read_data {data_in}")
        if atom_style == "sphere":  # per-atom masses follow the diameters; the models use m = 1
            cmds.append("set group all mass 1.0")
    else:
        if model.needs_diameters:
            raise ValueError(f"model {model.name} needs per-particle diameters: write a data file "
                             "(glasstools.systems.write_lammps_data) and pass data_in")
        if N is None or box_len is None or seed is None:
            raise ValueError("a random start needs N, box_len and seed")
        zhi = box_len if dim == 3 else 0.5
        zlo = 0.0 if dim == 3 else -0.5
        cmds += [f"region box block 0 {box_len!r} 0 {box_len!r} {zlo} {zhi!r}",
                 f"create_box {model.ntypes} box"]
        opt = f" overlap {overlap} maxtry 1000" if overlap > 0 else ""
        for k, n in enumerate(species_counts(N, model.fractions)):
            if n:
                cmds.append(f"create_atoms {k + 1} random {n} {seed + k} NULL{opt}")
        cmds.append("mass * 1.0")
    cmds += model.lammps_commands() + two_d_fix(dim)
    return cmds


def create_system(lmp, model: PairModel, types, positions, box_lo, box_len, diameters=None,
                  pair_commands=None, extra: str = "") -> None:
    """Box, atoms (ids 1..N in array order, positions wrapped into the box), masses 1 and the
    pair style of ``model`` in an open LAMMPS instance. Models with per-atom diameters
    (``atom_style sphere``, glasstools plugin: ``needs_diameters``) need ``diameters``; they are
    set as radii d/2 with masses kept at 1. ``extra`` is appended to ``atom_modify``.
    The dimension is that of ``positions`` ((N, 2): 2D box, z = 0, ``fix enforce2d``)."""
    if model.needs_diameters and diameters is None:
        raise ValueError(f"model {model.name} needs per-particle diameters")
    x = wrap(positions, box_len, box_lo)
    n, dim = x.shape
    lo = [float(v) for v in box_lo] + [-0.5] * (3 - dim)
    hi = [float(a + b) for a, b in zip(box_lo, box_len)] + [0.5] * (3 - dim)
    lmp.commands_list(preamble(model, dim, extra) + [
        f"region box block {lo[0]!r} {hi[0]!r} {lo[1]!r} {hi[1]!r} {lo[2]!r} {hi[2]!r}",
        f"create_box {model.ntypes} box"])
    lmp.create_atoms(n, list(range(1, n + 1)), [int(t) for t in types],
                     [float(v) for v in xyz(x).ravel()])
    if diameters is not None and model.atom_style == "sphere":
        radii = 0.5 * np.ascontiguousarray(diameters, dtype=float)
        lmp.scatter_atoms("radius", 1, 1, np.ctypeslib.as_ctypes(radii))
    lmp.command(unit_masses(model))
    lmp.commands_list(list(pair_commands if pair_commands is not None
                           else model.lammps_commands()) + two_d_fix(dim))


def write_system_file(path, model: PairModel, **kwargs) -> Path:
    path = Path(path)
    path.write_text("\n".join(system_commands(model, **kwargs)) + "\n")
    return path


def run_deck(lmp, name: str, **variables) -> None:
    """Define ``variables`` as LAMMPS index variables, then execute ``lammps_inputs/name.lmp``."""
    for key, value in variables.items():
        lmp.command(f"variable {key} index {value}")
    lmp.file(str(deck_path(name)))
