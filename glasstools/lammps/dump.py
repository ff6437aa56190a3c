"""LAMMPS text dumps (``dump custom`` / ``write_dump ... custom``): read, stream and write
``Frame``s; and data files (``write_data``).

Only orthogonal periodic boxes are supported; triclinic dumps raise ``ValueError``.
Per-atom columns used: ``id``, ``type``, positions (``x y z``, or scaled ``xs ys zs``, or
unwrapped ``xu yu zu``), optionally ``diameter`` or ``radius``, image flags ``ix iy iz`` and
velocities ``vx vy vz`` (``Frame.velocities``).
A dump without a ``type`` column is refused unless the caller supplies the types (``types``:
one type for every atom, or one per atom in id order): silently reading every atom as type 1
would give wrong observables for a mixture. A file cut inside a frame (header or atoms) raises
``ValueError`` naming the file and the frame.

Frame layout (LAMMPS manual, dump, "custom" style)::

    ITEM: TIMESTEP / t / ITEM: NUMBER OF ATOMS / N / ITEM: BOX BOUNDS pp pp pp /
    xlo xhi / ylo yhi / zlo zhi / ITEM: ATOMS <columns> / N lines

``iter_dump`` streams the frames of a file in one pass (memory: one frame); ``read_dump`` picks
one frame; ``write_dump`` writes frames in the layout above, which LAMMPS ``read_dump`` and
``read_dump`` here read back (positions ``x y z`` are written wrapped into the box, ``xu yu zu``
unwrapped with the frame's image flags; 2D frames get the z bounds -0.5 0.5 and z = 0).

Data files (``read_data_file``): the header (atoms, box ``xlo xhi`` ...) and the ``Atoms``
section of ``atom_style atomic`` (``id type x y z [ix iy iz]``) or ``sphere``
(``id type diameter density x y z [ix iy iz]``), as in the LAMMPS manual, read_data, "Atoms
section"; image flags (0 when absent) come back in ``Frame.images``; positions are as written
(``write_data`` writes them wrapped into the box); the unwrapped position is x + i L.
"""
from __future__ import annotations

import io
import re
from collections import deque
from itertools import islice
from typing import Iterable, Iterator, NamedTuple

import numpy as np
import pandas as pd

from ..configuration import Frame
from ..geometry import wrap


class _RawFrame(NamedTuple):
    index: int        # position in the file (0-based)
    timestep: int
    box_header: str
    bounds: list      # three "lo hi" lines
    columns: list
    body: list        # N atom lines


def _frames_raw(fh, path) -> Iterator[_RawFrame]:
    """Split an open dump into frames, line by line (nothing is parsed but the headers)."""
    k = 0
    for line in fh:
        if not line.strip():
            continue
        if line.strip() in ("ITEM: UNITS", "ITEM: TIME"):  # dump_modify units/time yes
            next(fh, None)
            continue
        if line.strip() != "ITEM: TIMESTEP":
            what = "not a LAMMPS text dump (no 'ITEM: TIMESTEP')" if k == 0 else \
                f"unexpected line {line.strip()[:40]!r} after frame {k - 1}"
            raise ValueError(f"{path}: {what}")
        head = list(islice(fh, 8))
        where = f"{path}: frame {k}"
        if len(head) < 8:
            raise ValueError(f"{where} is truncated inside its header ({len(head) + 1} of 9 lines)")
        try:
            timestep, natoms = int(head[0]), int(head[2])
        except ValueError:
            raise ValueError(f"{where}: bad TIMESTEP / NUMBER OF ATOMS header lines") from None
        if not (head[1].startswith("ITEM: NUMBER OF ATOMS") and head[3].startswith("ITEM: BOX BOUNDS")
                and head[7].startswith("ITEM: ATOMS")):
            raise ValueError(f"{where} (timestep {timestep}): malformed header")
        body = list(islice(fh, natoms))
        if len(body) < natoms or (body and not body[-1].endswith("\n") and len(body[-1].split())
                                  != len(head[7].split()) - 2):
            raise ValueError(f"{where} (timestep {timestep}) is truncated: {len(body)} of {natoms} atom lines")
        yield _RawFrame(k, timestep, head[3], head[4:7], head[7].split()[2:], body)
        k += 1


def _parse(raw: _RawFrame, path, dim: int, types) -> Frame:
    where = f"{path}: frame {raw.index} (timestep {raw.timestep})"
    if "xy" in raw.box_header:
        raise ValueError(f"{where}: triclinic dumps are not supported (orthogonal boxes only)")
    try:
        bounds = np.array([[float(v) for v in line.split()[:2]] for line in raw.bounds])
    except ValueError:
        raise ValueError(f"{where}: bad BOX BOUNDS lines") from None
    if bounds.shape != (3, 2):
        raise ValueError(f"{where}: bad BOX BOUNDS lines")
    cols = raw.columns
    df = pd.read_csv(io.StringIO("".join(raw.body)), sep=r"\s+", header=None, names=cols,
                     nrows=len(raw.body), engine="c")
    if "id" not in df:
        raise ValueError(f"{where}: no 'id' column (have {cols})")
    df = df.sort_values("id")
    lo, length = bounds[:, 0], bounds[:, 1] - bounds[:, 0]
    for names, scaled in ((("x", "y", "z"), False), (("xu", "yu", "zu"), False), (("xs", "ys", "zs"), True)):
        if names[0] in df:
            pos = np.column_stack([df[c].to_numpy(float) for c in names if c in df])
            if scaled:
                pos = lo[: pos.shape[1]] + pos * length[: pos.shape[1]]
            break
    else:
        raise ValueError(f"{where}: no position columns (have {cols})")
    pos = pos[:, :dim]
    if "diameter" in df:
        diam = df["diameter"].to_numpy(float)
    elif "radius" in df:
        diam = 2.0 * df["radius"].to_numpy(float)
    else:
        diam = None
    if "type" in df:
        typ = df["type"].to_numpy(int)
    elif types is None:
        raise ValueError(f"{where}: the dump has no 'type' column (columns: {' '.join(cols)}); give the "
                         "atom types (glasstools: --types, one type for all atoms or one per atom in id order)")
    else:
        typ = np.asarray(types, dtype=int)
        if typ.ndim and typ.shape != (len(df),):
            raise ValueError(f"{where}: {typ.size} types given for {len(df)} atoms")
    images = (df[["ix", "iy", "iz"][:dim]].to_numpy(int) if all(c in df for c in ("ix", "iy", "iz")[:dim])
              else None)
    vel = (df[["vx", "vy", "vz"][:dim]].to_numpy(float) if all(c in df for c in ("vx", "vy", "vz")[:dim])
           else None)
    return Frame(pos, length[:dim], typ, ids=df["id"].to_numpy(int), box_lo=lo[:dim], diameters=diam,
                 images=images, timestep=raw.timestep, velocities=vel)


def iter_dump(path, dim: int = 3, types=None) -> Iterator[Frame]:
    """The frames of a LAMMPS text dump in file order, streamed: the file is read once, one frame
    at a time. ``types``: for a dump without a ``type`` column (see the module docstring)."""
    with open(path) as fh:
        for raw in _frames_raw(fh, path):
            yield _parse(raw, path, dim, types)


def read_dump(path, frame: int = -1, dim: int = 3, types=None) -> Frame:
    """Frame ``frame`` (Python index; -1 = last) of a LAMMPS text dump in ``dim`` dimensions,
    found in one pass that parses only that frame. ``types``: see ``iter_dump``."""
    count, want = 0, None
    last = deque(maxlen=max(-frame, 1))
    with open(path) as fh:
        for raw in _frames_raw(fh, path):
            count += 1
            if frame < 0:
                last.append(raw)
            elif raw.index == frame:
                want = raw
                break
    if count == 0:
        raise ValueError(f"{path}: no 'ITEM: TIMESTEP' found; not a LAMMPS text dump")
    if frame < 0 and count >= -frame:
        want = last[0]
    if want is None:
        raise ValueError(f"{path}: frame {frame} requested, file has {count} frames")
    return _parse(want, path, dim, types)


def dump_columns(path) -> list[str]:
    """Per-atom column names of the first frame of a dump (its ``ITEM: ATOMS`` line)."""
    with open(path) as fh:
        for line in fh:
            if line.startswith("ITEM: ATOMS"):
                return line.split()[2:]
    raise ValueError(f"{path}: no 'ITEM: ATOMS' line; not a LAMMPS text dump")


def count_frames(path) -> int:
    with open(path) as fh:
        return sum(1 for line in fh if line.startswith("ITEM: TIMESTEP"))


_WRITERS = {
    "id": lambda f: f.ids, "type": lambda f: f.types, "diameter": lambda f: f.diameters,
    "radius": lambda f: None if f.diameters is None else 0.5 * f.diameters,
}


def _columns(frame: Frame, columns) -> dict:
    """Column name -> per-atom values (positions wrapped for x y z, unwrapped for xu yu zu)."""
    def padded(a, dtype):  # (N, D) -> (N, 3), zeros for z of a 2D frame
        out = np.zeros((frame.n, 3), dtype)
        if a is not None:
            out[:, : frame.dim] = a
        return out

    per_axis = {"": lambda: padded(wrap(frame.positions, frame.box_len, frame.box_lo), float),
                "u": lambda: padded(frame.unwrapped(), float), "i": lambda: padded(frame.images, int),
                "v": lambda: padded(frame.velocities, float)}
    out = {}
    for name in columns:
        if name in _WRITERS:
            vals = _WRITERS[name](frame)
            if vals is None:
                raise ValueError(f"write_dump: column {name!r} needs per-atom diameters; frame has none")
            out[name] = vals
        elif name in ("vx", "vy", "vz") and frame.velocities is None:
            raise ValueError(f"write_dump: column {name!r} needs velocities; frame has none")
        elif name in ("x", "y", "z", "xu", "yu", "zu", "ix", "iy", "iz", "vx", "vy", "vz"):
            kind = name[0] if name[0] in "iv" else name[1:]
            out[name] = per_axis[kind]()[:, "xyz".index(name[-1] if kind in ("i", "v") else name[0])]
        else:
            raise ValueError(f"write_dump: unknown column {name!r} (allowed: id type x y z xu yu zu "
                             "ix iy iz vx vy vz diameter radius)")
    return out


def _fmt(v) -> str:
    return repr(float(v)) if isinstance(v, (float, np.floating)) else str(int(v))


def write_dump(frames: Frame | Iterable[Frame], path, columns=None) -> None:
    """Write one ``Frame`` or several as a LAMMPS text dump (atomically: the file appears
    complete or not at all). ``columns`` default: ``id type x y z`` (+ ``diameter`` when the
    frame has diameters); floats are written with ``repr`` (round trip exact)."""
    from ..io.tables import atomic_path

    frames = [frames] if isinstance(frames, Frame) else frames
    with atomic_path(path) as tmp, open(tmp, "w") as fh:
        for fr in frames:
            cols = list(columns or ("id", "type", "x", "y", "z") + (("diameter",) if fr.diameters is not None
                                                                    else ()))
            lo = np.zeros(3) - 0.5
            hi = np.zeros(3) + 0.5
            lo[: fr.dim], hi[: fr.dim] = fr.box_lo, fr.box_lo + fr.box_len
            vals = _columns(fr, cols)
            fh.write(f"ITEM: TIMESTEP\n{fr.timestep}\nITEM: NUMBER OF ATOMS\n{fr.n}\n"
                     "ITEM: BOX BOUNDS pp pp pp\n")
            for d in range(3):
                fh.write(f"{float(lo[d])!r} {float(hi[d])!r}\n")
            fh.write("ITEM: ATOMS " + " ".join(cols) + "\n")
            per_atom = [vals[c].tolist() for c in cols]
            for row in zip(*per_atom):
                fh.write(" ".join(_fmt(v) for v in row) + "\n")


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
