"""Replica exchange through LAMMPS ``temper``: every exchange decision against the Metropolis
formula from the logged energies and the seeds, agreement with plain MD at high T, the samples
being the configurations at the target T, the statistics on known traces, ladder validation."""
from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest

from glasstools.analysis.replica_exchange import (check_ladder, geometric_ladder, pair_acceptance,
                                                  round_trips, swapped_pairs)
from glasstools.config import ConfigError, validate
from glasstools.lammps.deck import system_commands
from glasstools.lammps.protocols import md_with_dumps
from glasstools.lammps.replica_exchange import (ParkMiller, REMDSettings, _last_status, chunk_seeds,
                                                read_temper_log, replay_temper, run_replica_exchange)
from glasstools.lammps.session import LammpsFailure, lammps_session
from glasstools.models import get_model

KA = get_model("ka_lj_fs")
N, RHO = 200, 1.204


def test_park_miller_matches_the_published_check_value():
    # Park & Miller, CACM 31, 1192 (1988): from seed 1 the 10000th state is 1043618065
    r = ParkMiller(1)
    assert r.uniform() == 16807 / 2147483647
    for _ in range(9999):
        r.uniform()
    assert r.seed == 1043618065


@pytest.fixture(scope="module", params=[(4, 1, 20, 30, 1.03), (3, 2, 10, 10, 1.1)], ids=["4x1", "3x2"])
def run(request, tmp_path_factory):
    """High-T KA-LJ, close temperatures: many accepted and many rejected trials with Delta < 0.
    3x2: two ranks per partition (the Boltzmann RNG of a partition is seeded with its root rank)."""
    replicas, ranks, every, sampling, ratio = request.param
    s = REMDSettings(temperatures=geometric_ladder(1.0, ratio ** (replicas - 1), replicas),
                     target=1.0, samples=2, exchange_every=every, equilibration_trials=20,
                     sampling_every=sampling, ranks_per_replica=ranks)
    out = tmp_path_factory.mktemp(f"remd{replicas}x{ranks}")
    return run_replica_exchange(KA, N=N, density=RHO, settings=s, seed=5, outdir=out), s, out


def test_every_exchange_decision_is_the_metropolis_one(run):
    """Replay each temper call from its seeds: parity of the tried pairs from RanPark(seed_swap),
    accept if Delta >= 0 else if u < exp(Delta), Delta = (1/T_k - 1/T_k+1)(E_k - E_k+1) with the
    logged total energies; the replay must reproduce every row of the universe log."""
    res, s, _ = run
    rec = res.record
    assert len(rec.temp_of_walker) == s.trials + 1 and len(rec.call_starts) == 3
    assert np.array_equal(rec.predicted, rec.temp_of_walker)
    assert res.meta["replayed_trials_not_reproduced"] == 0
    # the test has teeth: swaps happened, and trials with Delta < 0 went both ways
    at = np.argsort(rec.temp_of_walker, axis=1)[:-1]
    e = np.take_along_axis(rec.energies[1:], at, axis=1)
    T = np.array(s.temperatures)
    delta = (1 / T[:-1] - 1 / T[1:]) * (e[:, :-1] - e[:, 1:])
    swapped = swapped_pairs(rec.temp_of_walker)
    uphill = rec.attempted & (delta < 0)
    assert (swapped & uphill).sum() >= 3 and (~swapped & uphill).sum() >= 3
    assert not (swapped & ~rec.attempted).any()
    # a Metropolis rule with the wrong sign of Delta does not reproduce the run
    flipped, _ = replay_temper(rec.temp_of_walker[0], -rec.energies[:21], s.temperatures,
                               *chunk_seeds(5, 0), ranks_per_replica=s.ranks_per_replica)
    assert not np.array_equal(flipped, rec.temp_of_walker[:21])


def test_samples_are_the_configurations_at_the_target(run, tmp_path):
    """Each written sample has the energy the log gives for the walker at the target T then."""
    res, s, out = run
    assert list(res.samples["trial"]) == [20 + s.sampling_every, 20 + 2 * s.sampling_every]
    for row in res.samples.itertuples():
        assert s.temperatures[res.record.temp_of_walker[row.trial, row.walker]] == s.target
        with lammps_session(model=KA, log=None) as lmp:
            lmp.commands_list(system_commands(KA, data_in=row.file) + ["thermo_modify norm yes", "run 0"])
            assert lmp.get_thermo("pe") == pytest.approx(row.e_pot, rel=1e-9)
    assert sorted(p.name for p in (out / "samples").iterdir()) == ["s0.data", "s1.data"]


def test_remd_and_plain_md_agree_at_high_T(tmp_path):
    """<e_pot> at T = 1 (tau_alpha ~ 0.3): the target replica of a 2-replica run vs plain NVT MD,
    equal within 4 combined standard errors (records 1 time unit apart, ~ uncorrelated)."""
    s = REMDSettings(temperatures=[1.0, 1.05], target=1.0, samples=1, exchange_every=200,
                     equilibration_trials=10, sampling_every=100)
    res = run_replica_exchange(KA, N=N, density=RHO, settings=s, seed=9, outdir=tmp_path / "remd")
    at = np.argsort(res.record.temp_of_walker, axis=1)[s.equilibration_trials + 1:, 0]
    e_remd = res.record.energies[s.equilibration_trials + 1:][np.arange(len(at)), at] / N
    assert res.temperatures["e_pot_mean"].iloc[0] == pytest.approx(e_remd.mean(), rel=1e-12)
    start = res.samples["file"].iloc[0]
    rows = md_with_dumps(KA, start, tmp_path / "md.lammpstrj", dt=0.005, every=1.0, t_end=100.0,
                         log=tmp_path / "md.log", T=1.0, seed=3)
    e_md = np.array([r["pe"] for r in rows[10:]]) / N
    err = math.hypot(e_remd.std() / math.sqrt(len(e_remd)), e_md.std() / math.sqrt(len(e_md)))
    assert abs(e_remd.mean() - e_md.mean()) < 4 * err
    # the other rungs are distinguishable at this precision (the check can fail)
    assert res.temperatures["e_pot_mean"].iloc[1] - e_md.mean() > 4 * err


def test_statistics_on_a_known_trace():
    # 3 temperatures; walker 0 goes 0 -> 1 -> 2 -> 1 -> 0 -> 1 -> 2 -> 1 -> 0: two round trips
    w0 = [0, 1, 2, 1, 0, 1, 2, 1, 0]
    w1 = [1, 0, 0, 0, 1, 0, 0, 0, 1]
    w2 = [2, 2, 1, 2, 2, 2, 1, 2, 2]
    w2t = np.array([w0, w1, w2]).T
    rt = round_trips(w2t)
    assert rt["round_trips"].tolist() == [2, 0, 0]
    assert rt["half_trips"].tolist() == [4, 0, 0]
    assert rt["mean_round_trip"].iloc[0] == 4.0
    attempted = np.array([[True, False], [False, True], [False, True], [True, False]] * 2)
    e = np.zeros((9, 3))
    acc = pair_acceptance(w2t, attempted, e, [1.0, 1.1, 1.2])
    assert acc["attempts"].tolist() == [4, 4] and acc["accepted"].tolist() == [4, 4]
    assert acc["metropolis_mean"].tolist() == [1.0, 1.0]           # equal energies: Delta = 0
    with pytest.raises(ValueError, match="without an attempt"):
        pair_acceptance(w2t, ~attempted, e, [1.0, 1.1, 1.2])
    with pytest.raises(ValueError, match="neighbour swaps"):
        swapped_pairs(np.array([[0, 1, 2], [2, 1, 0]]))


def test_geometric_ladder_and_checks():
    t = geometric_ladder(0.3971, 0.78, 18)
    assert t[0] == 0.3971 and t[-1] == 0.78
    assert np.allclose(t[1:] / t[:-1], (0.78 / 0.3971) ** (1 / 17), rtol=1e-12)
    assert check_ladder(t, 0.3971) == 0
    for bad, msg in (([0.5], ">= 2 replicas"), ([0.5, 0.4], "increase strictly"),
                     ([0.5, 0.5], "increase strictly"), ([-0.1, 0.5], "finite and > 0"),
                     ([0.4, 0.5], "not on the ladder")):
        with pytest.raises(ValueError, match=msg):
            check_ladder(bad, 0.45 if msg == "not on the ladder" else None)


BASE = {"seed": 1, "systems": [{"model": "ka_lj_fs", "N": 200, "T": 0.45, "density": 1.204, "samples": 2,
                                "remd": {"T_max": 0.55, "replicas": 4}}]}


@pytest.mark.parametrize("remd, T, match", [
    ({"T_max": 0.55, "replicas": 1}, 0.45, r"\['remd'\]\['replicas'\]: 1 is less than the minimum of 2"),
    ({"temperatures": [0.45, 0.5, 0.48]}, 0.45, r"\['remd'\]\['temperatures'\]: .*must increase strictly"),
    ({"temperatures": [0.45, 0.0]}, 0.45, r"\['remd'\]\['temperatures'\]\[1\]: 0.0 is less than or equal"),
    ({"temperatures": [0.4, 0.5]}, 0.45, r"\['T'\] = 0.45: the target temperature must be on the replica ladder"),
    ({"T_min": 0.4, "T_max": 0.6, "replicas": 3}, 0.45, r"target temperature must be on .*\['T_min'\]"),
    ({"T_max": 0.4, "replicas": 3}, 0.45, r"\['remd'\]\['T_max'\] = 0.4: must exceed T_min = 0.45"),
    ({"replicas": 3}, 0.45, r"\['remd'\]: missing required key 'T_max'"),
    ({"temperatures": [0.45, 0.5], "T_max": 0.5}, 0.45, r"either 'temperatures' or the geometric"),
    ({"T_max": 0.55, "replicas": 4}, "inf", r"\['T'\] = inf: replica exchange needs a finite"),
])
def test_bad_ladders_are_config_errors(remd, T, match):
    cfg = copy.deepcopy(BASE)
    cfg["systems"][0].update(remd=remd, T=T)
    with pytest.raises(ConfigError, match=match):
        validate(cfg)


def test_config_resolves_the_geometric_ladder():
    r = validate(BASE)["systems"][0]["remd"]
    assert r["temperatures"] == pytest.approx(geometric_ladder(0.45, 0.55, 4).tolist(), rel=1e-15)
    assert r["target_index"] == 0 and r["exchange_every"] == 2800   # library default (P1)


def test_p1_campaign_config():
    import yaml

    cfg = validate(yaml.safe_load((Path(__file__).parents[1] / "configs/P1_remd.yaml").read_text()))
    (s,) = cfg["systems"]
    r = s["remd"]
    assert (s["N"], s["samples"], r["replicas"], r["exchange_every"]) == (1000, 45, 18, 2800)
    assert (r["temperatures"][0], r["temperatures"][-1]) == (0.3971, 0.78)
    assert (r["equilibration_trials"], r["sampling_every"]) == (350_000, 10_000)
    st = REMDSettings.from_system(s)      # what the remd job runs
    assert st.temperatures == tuple(r["temperatures"]) and (st.target, st.samples) == (0.3971, 45)
    assert st.steps == 2_240_000_000      # (350 000 + 45 x 10 000) trials x 2800 steps (the config's cost line)


def test_last_status_row_is_read_from_the_end_of_the_universe_log(tmp_path):
    """_last_status reads the log backwards in blocks: the last status row whatever the block size
    (rows cut by a block boundary, a trailer longer than a block), the same row as read_temper_log."""
    rng = np.random.default_rng(3)
    rows = [f"{20 * k} {' '.join(map(str, rng.permutation(12)))}" for k in range(60)]
    log = tmp_path / "log.lammps"
    log.write_text("\n".join(["LAMMPS (22 Jul 2025)", "Running on 12 partitions", "Step " + " ".join(
        f"T{k}" for k in range(12)), *rows, *[f"Loop time of {k}.5 on 1 procs" for k in range(40)]]) + "\n")
    want = read_temper_log(log, 12)[-1][1][-1].tolist()
    assert want == [int(p) for p in rows[-1].split()[1:]]
    for block in (5, 17, 64, 1000, 1 << 16):
        assert _last_status(log, 12, block) == want
    log.write_text("LAMMPS (22 Jul 2025)\nStep T0 T1\n")
    with pytest.raises(LammpsFailure, match="no temper status row"):
        _last_status(log, 2, 4)


def test_a_stopped_run_resumes_from_its_checkpoint(tmp_path):
    """wall_limit stops the run after its first temper call (checkpoint); a killed launch's
    lines past the checkpoint are dropped; the second call resumes and the whole run replays."""
    from glasstools.lammps.replica_exchange import REMDIncomplete

    s = REMDSettings(temperatures=[1.0, 1.05, 1.1], target=1.0, samples=2, exchange_every=20,
                     equilibration_trials=10, sampling_every=10)
    kw = dict(N=N, density=RHO, settings=s, seed=4, outdir=tmp_path)
    with pytest.raises(REMDIncomplete, match="after temper call 1 of 3"):
        run_replica_exchange(KA, wall_limit=1e-9, **kw)
    state = tmp_path / "state"
    assert (state / "p0.c0.restart").exists() and not (state / "sample_0.data").exists()
    with open(state / "energy.0.txt", "a") as fh:    # as if a launch had died after the checkpoint
        fh.write("220 -1.0\n")
    res = run_replica_exchange(KA, **kw)
    assert not state.exists() and sorted(p.name for p in (tmp_path / "logs").glob("*.log")) == \
        ["temper0.log", "temper1.log"]
    rec = res.record
    assert rec.steps.tolist() == list(range(0, 30 * 20 + 1, 20))
    for log in (tmp_path / "logs").glob("temper*.log"):     # the status each temper call resumed from
        assert _last_status(log, 3) == read_temper_log(log, 3)[-1][1][-1].tolist()
    assert res.meta["replayed_trials_not_reproduced"] == 0 and (rec.energies < -500).all()
    assert sorted(p.name for p in (tmp_path / "samples").iterdir()) == ["s0.data", "s1.data"]
    # other settings start afresh (no stale checkpoint is used)
    with pytest.raises(REMDIncomplete, match="after temper call 1 of 3"):
        run_replica_exchange(KA, wall_limit=1e-9, **{**kw, "seed": 5})
    assert sorted(p.name for p in (tmp_path / "state").glob("temper*.log")) == ["temper0.log"]
