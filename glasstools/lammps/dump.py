"""Read LAMMPS text dumps (``dump custom`` / ``write_dump ... custom``) and data files
(``write_data``) into arrays.

Only orthogonal periodic boxes are supported; triclinic dumps raise ``ValueError``.
Per-atom columns used: ``id``, ``type``, positions (``x y z``, or scaled ``xs ys zs``, or
unwrapped ``xu yu zu``), and optionally ``diameter`` or ``radius``.

Data files (``read_data_file``): the header (atoms, box ``xlo xhi`` ...) and the ``Atoms``
section of ``atom_style atomic`` (``id type x y z [ix iy iz]``) or ``sphere``
(``id type diameter density x y z [ix iy iz]``), as in the LAMMPS manual, read_data, "Atoms
section"; image flags (0 when absent) come back in ``Frame.images``; positions are as written
(``write_data`` writes them wrapped into the box); the unwrapped position is x + i L.
"""
from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from ..configuration import Frame


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
    return Frame(pos, length[:dim], types, ids=df["id"].to_numpy(int), box_lo=lo[:dim], diameters=diam,
                 timestep=timestep)


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


_ATOM_COLUMNS = {
    "atomic": ("id", "type", "x", "y", "z"),
    "sphere": ("id", "type", "diameter", "density", "x", "y", "z"),
}


def read_data_file(path, dim: int = 3, atom_style: str | None = None) -> Frame:
    """Read a LAMMPS data file (``write_data``; atom_style atomic or sphere, orthogonal box).

    ``atom_style`` defaults to the style named in the ``Atoms # style`` comment (``write_data``
    writes it); without a comment it must be given. Returns a ``Frame`` sorted by id with
    ``timestep`` from the title line (or 0), ``diameters`` for sphere style and ``images``
    (ix iy iz, zeros when the file has none)."""
    with open(path) as fh:
        lines = fh.read().splitlines()
    title = lines[0] if lines else ""
    m = re.search(r"timestep\s*=\s*(\d+)", title)
    timestep = int(m.group(1)) if m else 0
    natoms = None
    bounds = np.zeros((3, 2))
    bounds[2] = (-0.5, 0.5)
    k = 1
    while k < len(lines):
        raw = lines[k].split("#", 1)[0].strip()
        head = raw.split()
        if raw and raw[0].isalpha():  # header lines start with numbers, sections with names
            break
        if len(head) >= 2 and head[-1] == "atoms":
            natoms = int(head[0])
        elif len(head) == 4 and head[2:] in (["xlo", "xhi"], ["ylo", "yhi"], ["zlo", "zhi"]):
            bounds["xyz".index(head[2][0])] = (float(head[0]), float(head[1]))
        elif len(head) >= 4 and head[-3:] == ["xy", "xz", "yz"]:
            raise ValueError(f"{path}: triclinic data files are not supported")
        k += 1
    if natoms is None:
        raise ValueError(f"{path}: no 'N atoms' line in the header; not a LAMMPS data file")
    start = next((i for i in range(k, len(lines))
                  if lines[i].split("#", 1)[0].strip() == "Atoms"), None)
    if start is None:
        raise ValueError(f"{path}: no Atoms section")
    if atom_style is None:
        comment = lines[start].split("#", 1)[1].strip() if "#" in lines[start] else ""
        if not comment:
            raise ValueError(f"{path}: Atoms section without '# style' comment; pass atom_style")
        atom_style = comment.split()[0]
    if atom_style not in _ATOM_COLUMNS:
        raise ValueError(f"{path}: atom_style {atom_style!r} not supported "
                         f"(have {sorted(_ATOM_COLUMNS)})")
    cols = _ATOM_COLUMNS[atom_style]
    body = []
    i = start + 1
    while i < len(lines) and len(body) < natoms:
        row = lines[i].split("#", 1)[0].split()
        if row:
            body.append(row)
        i += 1
    if len(body) != natoms:
        raise ValueError(f"{path}: Atoms section has {len(body)} lines, header says {natoms}")
    width = {len(r) for r in body}
    if width not in ({len(cols)}, {len(cols) + 3}):
        raise ValueError(f"{path}: Atoms lines have {sorted(width)} columns; atom_style "
                         f"{atom_style} needs {len(cols)} (+3 image flags)")
    arr = np.array(body, dtype=float)
    order = np.argsort(arr[:, 0], kind="stable")
    arr = arr[order]
    c = {name: arr[:, j] for j, name in enumerate(cols)}
    pos = np.column_stack([c["x"], c["y"], c["z"]])[:, :dim]
    images = (arr[:, len(cols):len(cols) + 3].astype(int) if arr.shape[1] > len(cols)
              else np.zeros((natoms, 3), int))[:, :dim]
    lo, length = bounds[:, 0], bounds[:, 1] - bounds[:, 0]
    return Frame(pos, length[:dim], c["type"].astype(int), ids=c["id"].astype(int), box_lo=lo[:dim],
                 diameters=c["diameter"].copy() if "diameter" in c else None, images=images,
                 timestep=timestep)
