"""P0 inherent structures and defects: the data-file reader against LAMMPS itself, model pair
diameters in phi_i, the hysteresis option, chi over samples, and the IS-distance collector."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from glasstools.analysis import defects as dfx
from glasstools.analysis.minimisers import is_distance_averages
from glasstools.configuration import Frame, check_same_particles
from glasstools.lammps.dump import read_data_file
from glasstools.lammps.session import lammps_session
from glasstools.models import get_model


def _lammps_state(lmp):
    """ids, types, x (as stored, wrapped), image flags, radius of every atom, sorted by id."""
    from lammps import LMP_STYLE_ATOM, LMP_TYPE_ARRAY

    n = lmp.get_natoms()
    lmp.commands_list(["compute img all property/atom ix iy iz", "run 0 post no"])
    ids = np.array(lmp.numpy.extract_atom("id")[:n], int)
    order = np.argsort(ids)
    types = np.array(lmp.numpy.extract_atom("type")[:n], int)[order]
    x = np.array(lmp.numpy.extract_atom("x")[:n], float)[order]
    img = np.array(lmp.numpy.extract_compute("img", LMP_STYLE_ATOM, LMP_TYPE_ARRAY)[:n], float)
    rad = lmp.numpy.extract_atom("radius")
    rad = None if rad is None else np.array(rad[:n], float)[order]
    return ids[order], types, x, img[order].astype(int), rad


@pytest.mark.parametrize("style", ["atomic", "sphere"])
def test_read_data_file_matches_lammps_read_data(tmp_path, style):
    """write_data after MD (atoms crossed the boundaries: non-zero image flags), then our reader
    and LAMMPS' own read_data of the same file must agree on ids, types, positions, image flags,
    box and (sphere) diameters."""
    path = tmp_path / "conf.data"
    with lammps_session() as lmp:
        lmp.commands_list([
            "units lj", f"atom_style {style}", "atom_modify map array", "boundary p p p",
            "region box block -1.5 3.5 0 4.2 0.5 5.0", "create_box 2 box",
            "create_atoms 1 random 40 11 NULL overlap 0.8 maxtry 200",
            "create_atoms 2 random 20 12 NULL overlap 0.8 maxtry 200",
            "mass * 1.0" if style == "atomic" else "set type 2 diameter 0.7",
            "pair_style soft 1.0", "pair_coeff * * 5.0",
            "velocity all create 3.0 5", "fix 1 all nve", "run 400", f"write_data {path} nocoeff"])
    fr = read_data_file(path)
    with lammps_session() as lmp:
        lmp.commands_list(["units lj", f"atom_style {style}", "atom_modify map array", "boundary p p p",
                           f"read_data {path}"])
        ids, types, x, img, rad = _lammps_state(lmp)
        lo = np.array([lmp.extract_box()[0][k] for k in range(3)])
        hi = np.array([lmp.extract_box()[1][k] for k in range(3)])
    assert fr.n == 60 and fr.timestep == 400
    np.testing.assert_array_equal(fr.ids, ids)
    np.testing.assert_array_equal(fr.types, types)
    np.testing.assert_array_equal(fr.positions, x)       # repr-exact round trip
    np.testing.assert_array_equal(fr.images, img)
    assert np.abs(fr.images).sum() > 0, "MD should have moved atoms across the boundaries"
    np.testing.assert_allclose(fr.box_lo, lo, rtol=0, atol=0)
    np.testing.assert_allclose(fr.box_len, hi - lo, rtol=1e-15)
    if style == "sphere":
        np.testing.assert_array_equal(fr.diameters, 2 * rad)
        assert set(np.round(fr.diameters, 12)) == {1.0, 0.7}
    else:
        assert fr.diameters is None


def test_read_data_file_rejects_what_it_cannot_read(tmp_path):
    p = tmp_path / "x.data"
    p.write_text("title\n\n2 atoms\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nAtoms # atomic\n\n1 1 0 0 0\n")
    with pytest.raises(ValueError, match="1 lines, header says 2"):
        read_data_file(p)
    p.write_text("title\n\n1 atoms\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nAtoms # full\n\n1 1 1 0 0 0 0\n")
    with pytest.raises(ValueError, match="not supported"):
        read_data_file(p)
    p.write_text("title\n\n1 atoms\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n0.1 0 0 xy xz yz\n")
    with pytest.raises(ValueError, match="triclinic"):
        read_data_file(p)


def _frame(diam=None, types=(1, 1), box=5.0):
    return Frame(np.zeros((2, 3)), np.full(3, box), np.array(types),
                 diameters=None if diam is None else np.asarray(diam, float))


def test_check_same_particles():
    check_same_particles(_frame([1.0, 1.2]), _frame([1.0, 1.2]))
    with pytest.raises(ValueError, match="diameters differ"):
        check_same_particles(_frame([1.0, 1.2]), _frame([1.2, 1.0]))
    with pytest.raises(ValueError, match="types differ"):
        check_same_particles(_frame(types=(1, 2)), _frame(types=(1, 1)))
    with pytest.raises(ValueError, match="boxes differ"):
        check_same_particles(_frame(), _frame(box=5.1))


def test_phi_uses_the_models_non_additive_pair_diameter():
    """Two particles d = 0.8, 1.6: additive d_ij = 1.2, non-additive (eps_na = 0.2) 1.2 * 0.84 =
    1.008. Moving from r = 1.5 to 1.3 crosses c d_ij = 1.4112 (non-additive) but stays inside
    c * 1.2 = 1.68 (additive): phi = 1 only with the model's d_ij."""
    model = get_model("soft_spheres_poly")
    d = np.array([0.8, 1.6])
    fn, dmax = dfx.model_pair_diameter(model, [1, 1], d)
    assert fn(np.array([0]), np.array([1]))[0] == pytest.approx(1.2 * (1 - 0.2 * 0.8))
    assert dmax == 1.6
    box = np.full(3, 10.0)
    x0 = np.array([[1.0, 1.0, 1.0], [2.5, 1.0, 1.0]])
    x1 = np.array([[1.0, 1.0, 1.0], [2.3, 1.0, 1.0]])
    np.testing.assert_array_equal(dfx.neighbour_change(x0, x1, box, 1.4, pair_fn=fn, dmax=dmax), [1, 1])
    np.testing.assert_array_equal(dfx.neighbour_change(x0, x1, box, 1.4, diameters=d), [0, 0])
    # KA-LJ: d_ij = sigma_ab from the model (sigma_AB = 0.8)
    fn, dmax = dfx.model_pair_diameter(get_model("ka_lj_fs"), np.array([1, 2, 2]))
    np.testing.assert_allclose(fn(np.array([0, 1, 0]), np.array([1, 2, 0])), [0.8, 0.88, 1.0])
    assert dmax == 1.0
    assert dfx.mean_diameter(fn, 3) == pytest.approx((1.0 + 0.88 + 0.88) / 3)


def test_hysteresis_ignores_pairs_rattling_at_the_cutoff():
    box = np.full(3, 10.0)
    x0 = np.array([[1.0, 1.0, 1.0], [2.39, 1.0, 1.0], [5.0, 5.0, 5.0], [6.3, 5.0, 5.0]])
    x1 = x0.copy()
    x1[1, 0] = 2.41          # pair (0, 1) 1.39 -> 1.41: crosses c = 1.4 by vibration only
    x1[3, 0] = 6.7           # pair (2, 3) 1.3 -> 1.7: a real rearrangement
    kw = dict(diameters=np.ones(4))
    np.testing.assert_array_equal(dfx.neighbour_change(x0, x1, box, 1.4, **kw), [1, 1, 1, 1])
    np.testing.assert_array_equal(dfx.neighbour_change(x0, x1, box, 1.4, c_out=1.6, **kw), [0, 0, 1, 1])
    # symmetric: gaining a neighbour counts the same way
    np.testing.assert_array_equal(dfx.neighbour_change(x1, x0, box, 1.4, c_out=1.6, **kw), [0, 0, 1, 1])
    with pytest.raises(ValueError):
        dfx.neighbour_change(x0, x1, box, 1.4, c_out=1.2, **kw)


def test_chi_is_N_times_the_variance_of_the_sample_mean():
    n = 10
    per = np.array([0.1, 0.2, 0.3, 0.6])
    phi = np.array([[1] * round(p * n) + [0] * (n - round(p * n)) for p in per])
    s = dfx.defect_statistics(phi)
    assert s["phi_mean"] == pytest.approx(per.mean())
    assert s["chi"] == pytest.approx(n * np.mean((per - per.mean()) ** 2))        # P0, ddof 0
    assert s["chi_ddof1"] == pytest.approx(n * per.var(ddof=1))
    assert s["phi_mean_err"] == pytest.approx(per.std(ddof=1) / 2)
    jk = np.array([n * np.delete(per, k).var() for k in range(4)])
    assert s["chi_err"] == pytest.approx(np.sqrt(3 / 4 * np.sum((jk - jk.mean()) ** 2)))
    # the per-particle variance would be different: chi is not N <phi_i>(1 - <phi_i>)
    assert s["chi"] != pytest.approx(n * per.mean() * (1 - per.mean()))
    two = dfx.defect_statistics(phi[:2])
    assert np.isfinite(two["chi"]) and np.isnan(two["chi_err"]) and "jackknife" in two["reason"]


def test_sample_defects_fields():
    rng = np.random.default_rng(2)
    g = np.arange(5) + 0.5
    x0 = np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 3)
    box = np.full(3, 5.0)
    x1 = x0 + 0.01 * rng.standard_normal(x0.shape)
    x1[7] += [0.6, 0.0, 0.0]
    phi, d2, dr, info = dfx.sample_defects(Frame(x0, box, 1), Frame(x1 - box * (x1 > 4.9), box, 1),
                                          get_model("harmonic_spheres"), c=1.2, d2min_cutoff=1.5)
    assert phi[7] == 1 and 1 < phi.sum() < 15
    np.testing.assert_allclose(dr, x1 - x0, atol=1e-12)             # minimum image undoes the shift
    assert np.nanargmax(d2) == 7 and info["d2min_radius"] == 1.5
    row = dfx.sample_summary(phi, d2, dr)
    assert row["phi"] == phi.mean() and row["n_defects"] == phi.sum()
    assert row["max_displacement"] == pytest.approx(np.linalg.norm(dr[7]))


def test_is_distance_averages_keep_non_converged_samples():
    dist = pd.DataFrame({"a": ["cg", "cg", "cg", "cg"], "b": ["fire", "fire", "sd", "sd"],
                         "delta": [0.1, 0.3, 0.0, 0.2], "de": [1.0, -1.0, 0.0, 2.0],
                         "converged_a": [True, True, True, False],
                         "converged_b": [True, False, True, True], "sample": [0, 1, 0, 1]})
    avg = is_distance_averages(dist).set_index(["a", "b"])
    assert avg.loc[("cg", "fire"), "delta_mean"] == pytest.approx(0.2)
    assert avg.loc[("cg", "fire"), "delta_err"] == pytest.approx(np.std([0.1, 0.3], ddof=1) / np.sqrt(2))
    assert avg.loc[("cg", "fire"), "n_samples"] == 2 and avg.loc[("cg", "fire"), "n_both_converged"] == 1
    assert avg.loc[("cg", "sd"), "de_mean"] == pytest.approx(1.0)
    assert avg.loc[("cg", "sd"), "n_both_converged"] == 1
