"""Issue 12 (6): IS trajectories over a whole run by a stride plus bisection where the IS changed
(``analysis.is_trajectory.strided_minima``, ``lammps.vibrations.inherent_trajectory(stride=)``):
the same events, at the same lag Δt, as minimising every frame, for a fraction of the cost."""
import numpy as np
import pandas as pd
import pytest

from glasstools.analysis.is_trajectory import strided_minima


def _run(labels, stride):
    calls = []

    def quench(frame):
        calls.append(frame[0])
        return frame[1]                  # the "IS" of a frame is its basin label

    kept = strided_minima(enumerate(labels), quench, lambda a, b: a != b, stride)
    return [k for k, _ in kept], [r for _, r in kept], calls


@pytest.mark.parametrize("stride", [1, 2, 4, 7, 16])
def test_strided_minima_locates_every_persistent_change_at_adjacent_frames(stride):
    rng = np.random.default_rng(stride)
    labels = np.cumsum(rng.random(203) < 0.04)          # basin label per frame: ~8 changes
    index, found, calls = _run(labels, stride)
    assert index == sorted(set(index)) and index[0] == 0 and index[-1] == len(labels) - 1
    assert sorted(calls) == index                        # each frame minimised at most once
    assert found == [labels[k] for k in index]
    changes = set(np.flatnonzero(np.diff(labels)) + 1)   # frame k differs from k - 1
    steps = {b for a, b, la, lb in zip(index, index[1:], found, found[1:]) if la != lb}
    assert steps == changes                              # every change, between adjacent frames
    assert all(b == a + 1 for a, b, la, lb in zip(index, index[1:], found, found[1:]) if la != lb)
    if stride > 1:
        # cost: the strided frames, the last, and <= ceil(log2 stride) bisections per change
        assert len(calls) <= len(range(0, len(labels), stride)) + 1 + len(changes) * int(np.ceil(np.log2(stride)))


def test_strided_minima_misses_only_changes_undone_within_the_stride():
    labels = [0] * 5 + [1, 1] + [0] * 13 + [2] * 5          # 0 -> 1 -> 0 between strided frames 4, 8
    index, found, _ = _run(labels, 4)
    assert index[:3] == [0, 4, 8] and 1 not in found[:3]    # A -> B -> A within the stride: not seen
    assert 20 in index and 19 in index                       # the persistent 0 -> 2 change: located
    with pytest.raises(ValueError, match="stride"):
        strided_minima(iter([]), lambda f: f, lambda a, b: False, 0)


@pytest.fixture(scope="module")
def hot_glass(tmp_path_factory):
    """P3 glass N = 256 quenched from T = 1 to T = 0.03 without the FIRE pre-quench, annealed 2,
    NVE 8 with dumps every 0.1: a run with IS events; its IS trajectory with stride 1 and 4."""
    from glasstools.lammps.protocols import prepare_sample
    from glasstools.lammps.vibrations import VibrationSettings, inherent_trajectory, vibration_run
    from glasstools.models import get_model

    out = tmp_path_factory.mktemp("p3_stride")
    model = get_model("p3_ipl12")
    prepare_sample(model, N=256, density=1.015, T=1.0, seed=3, data_out=out / "liquid.data",
                   log=out / "liquid.log", nvt_time=5.0, nve_time=1.0)
    s = VibrationSettings(anneal_time=2.0, production_time=8.0, minimise_quench=False)
    vibration_run(model, "glass", N=256, density=1.015, T=0.03, seed=5, dump_out=out / "traj.lammpstrj",
                  frames_out=out / "frames.parquet", log=out / "md.log", settings=s,
                  liquid_data=out / "liquid.data")
    runs = {}
    for stride in (1, 4):
        d = out / f"s{stride}"
        d.mkdir()
        summary = inherent_trajectory(model, out / "traj.lammpstrj", d, dt=s.dt, stride=stride, log=d / "is.log")
        runs[stride] = summary, pd.read_parquet(d / "is_trajectory.parquet"), pd.read_parquet(d / "events.parquet")
    return runs


def test_stride_finds_the_events_of_every_frame_minimisation(hot_glass):
    (s1, steps1, ev1), (s4, steps4, ev4) = hot_glass[1], hot_glass[4]
    assert s1["frames"] == s4["frames"] == 81 and s1["minimised"] == 81
    assert s1["events"] >= 2                              # the run rearranges (else the test is empty)
    assert s4["events"] == s1["events"] and s4["rearranges"]
    cols = ["t", "dr", "dphi", "n_rearr"]
    np.testing.assert_allclose(ev4[cols].to_numpy(float), ev1[cols].to_numpy(float), rtol=1e-6, atol=1e-9)
    ev_rows = steps4[steps4["event"]]
    np.testing.assert_allclose(ev_rows["lag"], 0.1, rtol=1e-9)             # P3's lag at every event
    assert s4["minimised"] < 0.6 * s1["minimised"]
    assert s4["stride"] == 4 and steps4["t"].iloc[-1] == pytest.approx(8.0)
    # the strided rows are a subset of the every-frame rows, with the same IS energies
    merged = steps4.merge(steps1, on="t", suffixes=("_4", "_1"))
    assert len(merged) == len(steps4)
    np.testing.assert_allclose(merged["phi_is_4"], merged["phi_is_1"], rtol=1e-9)
    np.testing.assert_allclose(merged["dr_from_0_4"], merged["dr_from_0_1"], atol=1e-6)
