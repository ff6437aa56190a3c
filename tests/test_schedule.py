"""The run loop with scheduled observers (glasstools.lammps.schedule), the MD-with-dumps protocol
built on it, and scratch folders that never outlive a job."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import glasstools.lammps.protocols as prot
from glasstools.lammps.dump import read_dump
from glasstools.lammps.protocols import SDSettings, md_with_dumps, steepest_descent
from glasstools.lammps.schedule import TimeGrid
from glasstools.lammps.scratch import scratch_dir, stale_scratch
from glasstools.lammps.session import LammpsFailure, lammps_session
from glasstools.models import get_model
from test_protocol_golden import write_lattice_start

KA = get_model("ka_lj_fs")


def test_time_grids():
    g = TimeGrid.log(1e-3, 10.0, 5)
    np.testing.assert_array_equal(g.times, np.logspace(-3, 1, 21))
    assert g.next_after(0.0) == g.times[0]
    assert g.next_after(g.times[3]) == g.times[4]                 # a reached time is not next
    assert g.next_after(g.times[3] * (1 - 1e-14)) == g.times[4]   # reached up to rounding
    assert g.next_after(10.0) == np.inf
    assert g.reached(None, 1e-3) and not g.reached(1e-3, 1.1e-3) and g.reached(1e-3, g.times[1])
    lin = TimeGrid.linear(0.3, 1.2)
    np.testing.assert_allclose(lin.times, [0, 0.3, 0.6, 0.9, 1.2])
    with pytest.raises(ValueError, match="spacing"):
        TimeGrid.linear(0.0, 1.0)
    with pytest.raises(ValueError, match="t_first"):
        TimeGrid.log(0.0, 1.0, 5)


def test_md_with_dumps_matches_one_uninterrupted_run(tmp_path):
    """Frames every 0.1 written by the loop equal LAMMPS' own dump of one NVE run (to rounding:
    each segment re-runs the set-up), positions are unwrapped and energy is conserved."""
    write_lattice_start(tmp_path / "start.data", density=0.95)
    dt, every, t_end = 0.001, 0.1, 1.0
    rows = md_with_dumps(KA, tmp_path / "start.data", tmp_path / "md.lammpstrj", dt=dt, every=every,
                         t_end=t_end, ensemble="nve", T=1.0, seed=9, log=tmp_path / "md.log")
    np.testing.assert_allclose([r["t"] for r in rows], np.arange(11) * every, atol=1e-12)
    assert [r["step"] for r in rows] == list(range(0, 1001, 100))
    e = np.array([r["pe"] + r["ke"] for r in rows])
    ke = np.array([r["ke"] for r in rows])
    assert np.ptp(e) < 1e-3 * ke.mean()
    with lammps_session(log=tmp_path / "ref.log") as lmp:
        from glasstools.lammps.deck import system_commands

        lmp.commands_list(system_commands(KA, data_in=str(tmp_path / "start.data")) + [
            "neighbor 0.3 bin", "neigh_modify every 1 delay 0 check yes", f"timestep {dt}",
            "reset_timestep 0", "velocity all create 1.0 9 dist gaussian mom yes rot no loop geom",
            "fix md all nve", f"dump d all custom 100 {tmp_path / 'ref.lammpstrj'} id type xu yu zu",
            "dump_modify d sort id format float %.17g", "run 1000"])
    for k in (1, 5, 10):
        got, ref = read_dump(tmp_path / "md.lammpstrj", frame=k), read_dump(tmp_path / "ref.lammpstrj", frame=k)
        assert got.timestep == ref.timestep == 100 * k
        np.testing.assert_allclose(got.positions, ref.positions, rtol=0, atol=1e-8)
    first, last = read_dump(tmp_path / "md.lammpstrj", frame=0), read_dump(tmp_path / "md.lammpstrj")
    assert np.abs(last.positions - first.positions).max() < 0.5 * first.box_len.min()
    assert not stale_scratch(tmp_path / "md.lammpstrj")


def test_md_with_dumps_bad_input_named(tmp_path):
    kw = dict(dt=0.002, every=0.1, t_end=1.0, log=tmp_path / "x.log", T=1.0)
    for change, word in (({"ensemble": "npt"}, "ensemble"), ({"every": 0.0031}, "every"),
                         ({"t_end": -1.0}, "t_end"), ({"T": None}, "T must")):
        with pytest.raises(ValueError, match=word):
            md_with_dumps(KA, tmp_path / "none.data", tmp_path / "md.lammpstrj", **{**kw, **change})


def test_scratch_removed_on_error_and_stale_scratch_removed(tmp_path):
    write_lattice_start(tmp_path / "start.data")
    out = tmp_path / "run"
    out.mkdir()
    stale = out / ".sd.ab12cd_9"           # left by a killed run (SIGKILL skips finally)
    stale.mkdir()
    (stale / "system.lmp").write_text("x")
    unrelated = out / ".sd.keep"           # not a scratch name: untouched
    unrelated.mkdir()
    s = SDSettings(dt=5e-4, logW_targets=(-1.5,), W_is=1e-4, max_time=50.0)
    res = steepest_descent(KA, tmp_path / "start.data", out, s, log=tmp_path / "sd.log")
    assert res.converged and not stale.exists() and unrelated.exists()
    assert sorted(p.name for p in out.iterdir()) == [".sd.keep", "IS.lammpstrj", "fixedW_-1.5.lammpstrj"]
    # a LAMMPS error inside the protocol (missing data file) leaves no scratch behind
    with pytest.raises(LammpsFailure, match="steepest-descent set-up failed"):
        steepest_descent(KA, tmp_path / "missing.data", out, s, log=tmp_path / "sd2.log")
    assert not stale_scratch(out / "sd")
    # and so does a Python error
    with pytest.raises(RuntimeError, match="boom"), scratch_dir(out / "sd") as scratch:
        assert scratch.is_dir() and stale_scratch(out / "sd") == [scratch]
        raise RuntimeError("boom")
    assert not stale_scratch(out / "sd")


def test_first_crossing_needs_a_start_above_the_level(tmp_path):
    write_lattice_start(tmp_path / "start.data")
    s = SDSettings(dt=5e-4, logW_targets=(20.0,), W_is=1e-4, max_time=1.0)
    with pytest.raises(LammpsFailure, match="already below the first level"):
        steepest_descent(KA, tmp_path / "start.data", tmp_path / "out", s, log=tmp_path / "sd.log")
    assert not stale_scratch(tmp_path / "out" / "sd")


def test_saddle_push_rule(monkeypatch):
    """P1's stall rule: a push when W < stall_W, t >= 10 t_check and W decayed by less than a
    decade since the check (at most max_pushes); never at a stop where a level was crossed."""
    calls = []
    monkeypatch.setattr(prot, "_push_along_unstable_mode", lambda *a: calls.append(a) or True)
    push = prot.SaddlePush(KA, SDSettings(dt=1e-3, stall_W=1e-12, max_pushes=2))

    def stop(t, W, initial=False, met=()):
        push.fire(SimpleNamespace(t=t, values={"W": W}, initial=initial, met=list(met), lmp=None))
        return push.count

    assert stop(1.0, 1e-13, initial=True) == 0
    assert stop(5.0, 0.9e-13) == 0              # t < 10 t_check: no decision yet
    assert stop(10.0, 0.5e-14) == 0             # decayed by more than a decade: moving, no push
    assert stop(100.0, 0.4e-14) == 1            # stalled: push
    assert stop(1000.0, 0.4e-14, met=["level"]) == 1   # a crossing stop is not checked
    assert stop(1000.0, 0.4e-14) == 2
    assert stop(1e4, 0.4e-14) == 2              # max_pushes reached
    assert stop(1e5, 1e-3) == 2 and push.last == (1e5, 1e-3)   # above stall_W: new reference
    assert len(calls) == 2
