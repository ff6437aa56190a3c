"""LAMMPS text dumps: write_dump / read_dump / iter_dump round trips, LAMMPS read_dump of our
files, streaming, and the bad inputs of issue 11 section 2 (missing type column, truncation)."""
import numpy as np
import pytest

from glasstools.analysis.hessian import energy_forces, hessian
from glasstools.configuration import Frame
from glasstools.lammps.dump import count_frames, dump_columns, iter_dump, read_dump, write_dump
from glasstools.models import get_model


def _frame(rng, n=20, dim=3, t=0, diam=True):
    box = np.array([5.0, 6.0, 7.0])[:dim]
    lo = np.array([-1.0, 0.5, 2.0])[:dim]
    return Frame(lo + rng.random((n, dim)) * box, box, rng.integers(1, 3, n), ids=np.arange(1, n + 1) * 3,
                 box_lo=lo, diameters=rng.uniform(0.8, 1.2, n) if diam else None,
                 images=rng.integers(-2, 3, (n, dim)), timestep=t)


def test_write_read_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    frames = [_frame(rng, t=10 * k) for k in range(4)]
    path = tmp_path / "t.lammpstrj"
    write_dump(frames, path, columns=["id", "type", "x", "y", "z", "ix", "iy", "iz", "diameter"])
    assert count_frames(path) == 4 and dump_columns(path)[:2] == ["id", "type"]
    back = list(iter_dump(path))
    for a, b in zip(frames, back):
        assert b.timestep == a.timestep
        np.testing.assert_array_equal(b.ids, a.ids)
        np.testing.assert_array_equal(b.types, a.types)
        np.testing.assert_array_equal(b.positions, a.positions)       # repr: exact
        np.testing.assert_array_equal(b.images, a.images)
        np.testing.assert_array_equal(b.diameters, a.diameters)
        np.testing.assert_array_equal(b.box_lo, a.box_lo)
    assert read_dump(path, frame=-2).timestep == 20 and read_dump(path, frame=1).timestep == 10
    with pytest.raises(ValueError, match="frame 4 requested, file has 4 frames"):
        read_dump(path, frame=4)
    # unwrapped columns carry the image flags; 2D frames get z = 0 and z bounds -0.5 0.5
    write_dump(frames[0], tmp_path / "u.lammpstrj", columns=["id", "type", "xu", "yu", "zu"])
    np.testing.assert_allclose(read_dump(tmp_path / "u.lammpstrj").positions, frames[0].unwrapped())
    f2 = _frame(rng, dim=2, diam=False)
    write_dump(f2, tmp_path / "2d.lammpstrj")
    assert "-0.5 0.5" in (tmp_path / "2d.lammpstrj").read_text()
    np.testing.assert_array_equal(read_dump(tmp_path / "2d.lammpstrj", dim=2).positions, f2.positions)
    with pytest.raises(ValueError, match="needs per-atom diameters"):
        write_dump(f2, tmp_path / "x.lammpstrj", columns=["id", "diameter"])


def test_lammps_read_dump_accepts_written_frames(lammps_config, tmp_path):
    cfg = lammps_config("ka_lj", n=400, seed=3)
    fr = cfg.frame
    moved = Frame(fr.positions + 0.37, fr.box_len, fr.types, ids=np.arange(1, fr.n + 1), timestep=5)
    path = tmp_path / "m.lammpstrj"
    write_dump(moved, path)
    cfg.lmp.command(f"read_dump {path} 5 x y z box yes")
    cfg.lmp.command("run 0")
    np.testing.assert_allclose(cfg.positions, read_dump(path).positions, rtol=0, atol=1e-12)
    e, _ = energy_forces(cfg.frame, cfg.model)
    assert cfg.energy == pytest.approx(e, rel=1e-10)


def test_iter_dump_streams(tmp_path):
    """Frames come one at a time: a corrupt later frame does not stop the earlier ones."""
    rng = np.random.default_rng(2)
    path = tmp_path / "s.lammpstrj"
    write_dump([_frame(rng, t=k) for k in range(3)], path)
    text = path.read_text()
    cut = text.index("ITEM: TIMESTEP\n2")
    path.write_text(text[:cut] + text[cut:cut + 60])           # frame 2 cut inside its header
    it = iter_dump(path)
    assert next(it).timestep == 0 and next(it).timestep == 1
    with pytest.raises(ValueError, match=rf"{path}: frame 2 is truncated inside its header"):
        next(it)


@pytest.mark.parametrize("cut", [1, 3, 5, 7, 8, 9, 10])
def test_truncated_dump_is_a_value_error_naming_file_and_frame(tmp_path, cut):
    rng = np.random.default_rng(3)
    path = tmp_path / "c.lammpstrj"
    write_dump(_frame(rng, n=2), path)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:cut]))
    with pytest.raises(ValueError, match=rf"{path}: frame 0.*truncated"):
        read_dump(path)


def test_missing_type_column(tmp_path):
    rng = np.random.default_rng(4)
    fr = _frame(rng, n=5, diam=False)
    path = tmp_path / "nt.lammpstrj"
    write_dump(fr, path, columns=["id", "x", "y", "z"])
    with pytest.raises(ValueError, match=rf"{path}: frame 0 \(timestep 0\): the dump has no 'type' column"):
        read_dump(path)
    assert read_dump(path, types=2).types.tolist() == [2] * 5
    assert read_dump(path, types=[1, 2, 1, 2, 2]).types.tolist() == [1, 2, 1, 2, 2]
    with pytest.raises(ValueError, match="3 types given for 5 atoms"):
        read_dump(path, types=[1, 2, 1])


def test_hessian_refuses_coincident_atoms_and_non_finite_terms():
    rng = np.random.default_rng(5)
    pos = rng.random((30, 3)) * 6.0
    pos[17] = pos[4]
    fr = Frame(pos, np.full(3, 6.0), 1, ids=np.arange(30) + 101)
    for name in ("harmonic_spheres", "lj_fs"):
        with pytest.raises(ValueError, match=r"same position.*\(105, 118\)"):
            hessian(fr, get_model(name))
        with pytest.raises(ValueError, match=r"same position.*\(105, 118\)"):
            energy_forces(fr, get_model(name))
    pos[4], pos[17] = [0.0, 1.0, 1.0], [1e-60, 1.0, 1.0]         # LJ overflows to inf
    with pytest.raises(ValueError, match=r"non-finite pair term .*\(105, 118\)"):
        hessian(Frame(pos, np.full(3, 6.0), 1, ids=np.arange(30) + 101), get_model("lj_fs"))
    pos[17] = [np.nan, 1.0, 1.0]
    with pytest.raises(ValueError, match=r"non-finite positions of atom ids \[118\]"):
        hessian(Frame(pos, np.full(3, 6.0), 1, ids=np.arange(30) + 101), get_model("lj_fs"))
