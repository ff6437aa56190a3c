"""Read LAMMPS text dumps (``dump custom`` / ``write_dump ... custom``) into arrays.

Only orthogonal periodic boxes are supported; triclinic dumps raise ``ValueError``.
Per-atom columns used: ``id``, ``type``, positions (``x y z``, or scaled ``xs ys zs``, or
unwrapped ``xu yu zu``), and optionally ``diameter`` or ``radius``.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Frame:
    timestep: int
    box_lo: np.ndarray        # (D,)
    box_len: np.ndarray       # (D,)
    ids: np.ndarray           # (N,) ascending
    types: np.ndarray         # (N,) 1-based
    positions: np.ndarray     # (N, D), sorted by id
    diameters: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def dim(self) -> int:
        return self.positions.shape[1]


def _split_frames(text: str) -> list[str]:
    parts = text.split("ITEM: TIMESTEP")
    return ["ITEM: TIMESTEP" + p for p in parts[1:]]


def _parse_frame(block: str, dim: int) -> Frame:
    lines = block.split("\n", 9)
    timestep = int(lines[1])
    natoms = int(lines[3])
    box_hdr = lines[4]
    if "xy" in box_hdr:
        raise ValueError("triclinic dumps are not supported (orthogonal boxes only)")
    bounds = np.array([[float(v) for v in lines[5 + k].split()[:2]] for k in range(3)])
    cols = lines[8].split()[2:]
    body = lines[9] if len(lines) > 9 else ""
    df = pd.read_csv(io.StringIO(body), sep=r"\s+", header=None, names=cols,
                     nrows=natoms, engine="c")
    if len(df) != natoms:
        raise ValueError(f"dump frame at step {timestep} has {len(df)} atoms, header says {natoms}")
    df = df.sort_values("id")
    lo, length = bounds[:, 0], bounds[:, 1] - bounds[:, 0]
    for names, scaled in ((("x", "y", "z"), False), (("xu", "yu", "zu"), False), (("xs", "ys", "zs"), True)):
        if names[0] in df:
            pos = np.column_stack([df[c].to_numpy(float) for c in names if c in df])
            if scaled:
                pos = lo[: pos.shape[1]] + pos * length[: pos.shape[1]]
            break
    else:
        raise ValueError(f"dump has no position columns (have {cols})")
    pos = pos[:, :dim]
    if "diameter" in df:
        diam = df["diameter"].to_numpy(float)
    elif "radius" in df:
        diam = 2.0 * df["radius"].to_numpy(float)
    else:
        diam = None
    types = df["type"].to_numpy(int) if "type" in df else np.ones(natoms, int)
    return Frame(timestep, lo[:dim], length[:dim], df["id"].to_numpy(int), types, pos, diam)


def read_dump(path, frame: int = -1, dim: int = 3) -> Frame:
    """Read frame ``frame`` (Python index; -1 = last) of a LAMMPS text dump in ``dim`` dimensions."""
    with open(path) as fh:
        frames = _split_frames(fh.read())
    if not frames:
        raise ValueError(f"{path}: no 'ITEM: TIMESTEP' found; not a LAMMPS text dump")
    try:
        block = frames[frame]
    except IndexError:
        raise ValueError(f"{path}: frame {frame} requested, file has {len(frames)} frames") from None
    return _parse_frame(block, dim)


def count_frames(path) -> int:
    with open(path) as fh:
        return sum(1 for line in fh if line.startswith("ITEM: TIMESTEP"))
