"""NEB on a case with a known answer: a vacancy hop in a small LJ fcc crystal.

Force-shifted LJ (``lj_fs``: energy and force continuous at r_c), fcc 3x3x3 at rho = 1 with one
atom removed (107 atoms). Reference barrier, independent of NEB: by symmetry the saddle has the
hopping atom at the midpoint of the hop and the rest relaxed symmetrically about it (three
mirror planes through the midpoint). Starting from the perfect-lattice positions with the hopper
at the midpoint, fixing the hopper (``fix setforce 0 0 0``) and minimising the rest keeps that
symmetry (zero net force, so no drift), which gives E_saddle by a plain constrained CG.
(Starting from the relaxed vacancy instead lets the crystal translate and returns E_A.)
"""
from __future__ import annotations

import numpy as np
import pytest

from glasstools.analysis.paths import interpolate_chain, reaction_coordinate
from glasstools.configuration import Frame
from glasstools.lammps.neb import NEBSettings, run_neb
from glasstools.lammps.session import lammps_session
from glasstools.models import get_model
from glasstools.models.ka_lj import LJForceShifted


def _x(lmp):
    return np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(-1, 3).copy()


def _set_x(lmp, x):
    lmp.scatter_atoms("x", 1, 3, np.ctypeslib.as_ctypes(np.ascontiguousarray(x).ravel()))


def vacancy_hop(model, cells=3, rho=1.0):
    """End points A, B of a nearest-neighbour vacancy hop and the constrained-saddle energy."""
    with lammps_session() as lmp:
        lmp.commands_list([
            "units lj", "atom_style atomic", "atom_modify map array sort 0 0.0",
            "boundary p p p", f"lattice fcc {rho}",
            f"region box block 0 {cells} 0 {cells} 0 {cells}", "create_box 1 box",
            "create_atoms 1 box", "mass * 1.0", *model.lammps_commands(),
            "thermo_modify norm no", "neighbor 0.3 bin", "neigh_modify every 1 delay 0 check yes"])
        L = lmp.extract_box()[1][0] - lmp.extract_box()[0][0]
        sites = _x(lmp)
        vac = sites[0]
        lmp.commands_list(["group v id 1", "delete_atoms group v compress yes"])
        lattice = _x(lmp)   # perfect-lattice positions of the remaining atoms (id order)
        d = lattice - vac
        d -= L * np.round(d / L)
        k = int(np.argmin(np.linalg.norm(d, axis=1)))       # the hopper: a neighbour of the vacancy
        mini = "minimize 0 1e-11 20000 200000"  # 2-norm; roundoff floor ~3e-13
        lmp.command(mini)
        xa, ea = _x(lmp), lmp.get_thermo("pe")
        xb = xa.copy()
        xb[k] = vac
        _set_x(lmp, xb)
        lmp.command(mini)
        xb, eb = _x(lmp), lmp.get_thermo("pe")
        xs = lattice.copy()
        xs[k] = lattice[k] - 0.5 * d[k]
        _set_x(lmp, xs)
        lmp.commands_list([f"group hop id {k + 1}", "fix pin hop setforce 0 0 0", mini])
        es = lmp.get_thermo("pe")
        fmax_rest = lmp.get_thermo("fmax")
    return {"L": L, "xa": xa, "xb": xb, "ea": ea, "eb": eb, "es": es, "k": k, "fmax": fmax_rest}


@pytest.fixture(scope="module")
def hop():
    return vacancy_hop(LJForceShifted())


def test_interpolation_uses_minimum_image():
    box = np.array([10.0, 10.0, 10.0])
    a = np.array([[0.2, 5.0, 5.0], [5.0, 5.0, 5.0]])
    b = np.array([[9.8, 5.0, 5.0], [5.0, 5.5, 5.0]])
    chain = interpolate_chain(a, b, box, 3)
    assert chain.shape == (5, 2, 3)
    np.testing.assert_allclose(chain[2, 0], [0.0, 5.0, 5.0], atol=1e-12)  # through the boundary
    np.testing.assert_allclose(chain[-1, 1], b[1])
    np.testing.assert_allclose(reaction_coordinate(chain, box)[-1], np.sqrt(0.4**2 + 0.5**2))


def test_lj_fs_generalises_ka():
    ka = get_model("ka_lj_fs")
    mono = LJForceShifted()
    assert mono.ntypes == 1 and ka.ntypes == 2
    assert mono.lammps_commands() == ["pair_style lj/smooth/linear 2.5", "pair_coeff 1 1 1 1 2.5"]
    r = np.array([0.9, 1.5, 2.49, 2.5, 3.0])
    p = mono.pair_terms(np.ones(5, int), np.ones(5, int)).params
    np.testing.assert_allclose(mono.u(r, p), ka.u(r, ka.pair_terms(np.ones(5, int), np.ones(5, int)).params))
    assert abs(mono.u(np.array([2.5 - 1e-9]), p)[0]) < 1e-15   # continuous at r_c


def test_vacancy_hop_barrier_matches_constrained_saddle(hop, tmp_path):
    ref = hop["es"] - hop["ea"]
    assert abs(hop["eb"] - hop["ea"]) < 1e-9          # symmetric hop
    assert hop["fmax"] < 1e-8
    n = len(hop["xa"])
    box = [hop["L"]] * 3
    res = run_neb(LJForceShifted(), Frame(hop["xa"], box, 1), Frame(hop["xb"], box, 1), tmp_path,
                  NEBSettings(n_images=5, ftol=1e-8, n1=3000, n2=1000, nevery=10,
                              timestep=0.05, kspring=5.0))
    rel = abs(res.barrier - ref) / ref
    print(f"vacancy hop: NEB barrier {res.barrier:.12f}, constrained saddle {ref:.12f}, "
          f"relative error {rel:.2e}, {res.info['ranks']} ranks, {res.info['wall_s']:.1f} s, "
          f"stop: {res.info['stop']}")
    assert res.converged and res.info["saddle_converged"], res.info
    assert res.saddle_image == 3                          # the middle replica climbs
    assert rel < 1e-6
    assert res.profile["fmax"].iloc[res.saddle_image] < 1e-6   # a true stationary point
    np.testing.assert_allclose(res.e_a, hop["ea"], atol=1e-9)
    # LAMMPS prints the NEB energies per atom (thermo_modify norm yes, lj default)
    np.testing.assert_allclose(res.profile["pe_log"] * n, res.profile["energy"], rtol=1e-7)
    assert np.all(np.diff(res.profile["s"]) > 0)


def test_two_step_standin_then_target_from_dumps(hop, tmp_path):
    """Rule-level API on two IS dumps: chain relaxed first with harmonic spheres (stand-in),
    then with LJ from that chain; same barrier; table, metadata and chain dump written."""
    from glasstools.io.tables import read_table
    from glasstools.lammps.dump import count_frames, read_dump
    from glasstools.lammps.neb import neb_between_dumps, write_chain_dump

    box = np.full(3, hop["L"])
    write_chain_dump(tmp_path / "A.lammpstrj", hop["xa"][None], Frame(hop["xa"], box, 1))
    write_chain_dump(tmp_path / "B.lammpstrj", hop["xb"][None], Frame(hop["xb"], box, 1))
    fast = dict(n_images=3, nevery=10, timestep=0.05, kspring=5.0)
    res = neb_between_dumps(
        LJForceShifted(), tmp_path / "A.lammpstrj", tmp_path / "B.lammpstrj",
        tmp_path / "out" / "neb.parquet", settings=NEBSettings(ftol=1e-7, n1=2000, n2=1000, **fast),
        stand_in=get_model("harmonic_spheres", diameters=(1.2,)),
        stand_in_settings=NEBSettings(ftol=1e-4, n1=200, n2=0, **fast),
        chain_out=tmp_path / "chain.lammpstrj", meta={"pair": [0, 1]})
    ref = hop["es"] - hop["ea"]
    assert res.converged and res.info["saddle_converged"], res.info
    assert abs(res.barrier - ref) / ref < 1e-6
    assert res.info["standin"]["stop"] in ("force tolerance", "max iterations")
    df, meta = read_table(tmp_path / "out" / "neb.parquet")
    assert len(df) == 5 and meta["converged"] and meta["pair"] == [0, 1]
    assert meta["barrier"] == pytest.approx(res.barrier)
    assert meta["stand_in"]["model"] == "harmonic_spheres"
    assert count_frames(tmp_path / "chain.lammpstrj") == 5
    mid = read_dump(tmp_path / "chain.lammpstrj", frame=2)
    np.testing.assert_allclose(mid.positions[hop["k"]] % hop["L"],
                               res.chain[2][hop["k"]] % hop["L"], atol=1e-9)


class _Broken(LJForceShifted):
    """A model whose pair style LAMMPS does not know."""

    def lammps_commands(self):
        return ["pair_style no_such_style"]


def test_failure_in_lammps_raises(hop, tmp_path):
    """A LAMMPS error inside the replicas aborts the MPI job and raises LammpsFailure."""
    from glasstools.lammps.session import LammpsFailure

    box = [hop["L"]] * 3
    with pytest.raises(LammpsFailure, match="failed"):
        run_neb(_Broken(), Frame(hop["xa"], box, 1), Frame(hop["xb"], box, 1), tmp_path,
                NEBSettings(n_images=1, n1=10, n2=10, nevery=10), timeout=120)


def test_failure_recorded_for_workflows(hop, tmp_path):
    """on_failure='record': a failed pair gives a table with converged False and the error."""
    from glasstools.io.tables import read_table
    from glasstools.lammps.neb import neb_between_dumps, write_chain_dump
    from glasstools.lammps.scratch import stale_scratch

    box = np.full(3, hop["L"])
    for name, x in (("A", hop["xa"]), ("B", hop["xb"])):
        write_chain_dump(tmp_path / f"{name}.lammpstrj", x[None], Frame(x, box, 1))
    stale = tmp_path / ".neb.parquet.k1lled_0"    # scratch of a killed earlier run of this pair
    stale.mkdir()
    out = neb_between_dumps(_Broken(), tmp_path / "A.lammpstrj", tmp_path / "B.lammpstrj",
                            tmp_path / "neb.parquet", settings=NEBSettings(n_images=1, n1=10,
                                                                           n2=10, nevery=10),
                            on_failure="record", timeout=120)
    df, meta = read_table(tmp_path / "neb.parquet")
    assert out is None and len(df) == 0
    assert meta["converged"] is False and np.isnan(meta["barrier"]) and "no_such_style" in meta["error"]
    assert not stale_scratch(tmp_path / "neb.parquet")           # stale and own scratch removed
