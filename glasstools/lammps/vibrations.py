"""P3 runs end to end: glass / crystal states at T << T_g, their IS trajectories and mode lifetimes.

Source: Mizuno, Tong, Ikeda, Mossa, J. Chem. Phys. 153, 154501 (2020) (P3), Secs. II B-E;
SCIENCE_P3_P4 §1.2 (protocol) and §1.5 (choices P3 leaves open, made here in ``VibrationSettings``).

* ``vibration_run``: the state and its NVE production (P3 Sec. II B). Glass: a liquid equilibrated
  at T = 1.0 (``prepare_sample``, NVT) is quenched instantaneously to T (by default minimised to its
  IS first, ``minimise_quench``; Maxwell velocities drawn at T), annealed in NVT (Nose-Hoover) at
  T, then NVE; crystal: the perfect FCC crystal at the same
  density (``fcc_crystal``) with Maxwell velocities at T, NVT at T, then NVE. Production dumps
  unwrapped positions and velocities every Δt (default 0.1), velocity Verlet δt = 0.005.
* ``inherent_trajectory``: FIRE minimisation of the dumped frames in one LAMMPS session, the dump
  read once (``minimise.FrameQuencher``): every frame, or every s-th frame with bisection down to
  the lag Δt wherever the IS changed (``analysis.is_trajectory.strided_minima``); tables of P3
  Eqs. (4)-(7), Figs. 5-9 (``analysis.is_trajectory``).
* ``mode_lifetimes``: for a run without rearrangements, the normal modes of the fixed IS
  (``analysis.harmonic.normal_modes``), E_k(t), equipartition, C_k(t) and τ_k
  (``analysis.mode_lifetimes``), next to the three-phonon τ_k = 1/Γ_k (``analysis.three_phonon``),
  the joint DOS j(ω) and the MSD (P3 Figs. 1-4).
* ``anharmonic_chain``: the test-bed of the theory in one dimension: a periodic collinear chain of
  the model (a random sequence of its species) moving along its axis only, started from a
  harmonic canonical sample of its IS, NVE with dumps; ``mode_lifetimes(..., components=(0,))``
  then compares MD and three-phonon τ_k mode by mode (tests/test_anharmonic_chain.py).

Every table is written atomically with its parameters and units in the metadata.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.is_trajectory import ENERGY_THRESHOLD, EVENT_THRESHOLD, FAR_FIELD_WINDOW
from ..analysis.mode_lifetimes import BIN_WIDTH
from ..io.tables import write_table
from ..models import PairModel
from .scratch import scratch_dir

UNITS = "reduced: sigma_eff (length), epsilon (energy), m = k_B = 1; t in sqrt(m sigma^2/epsilon), omega in its inverse"


@dataclass
class VibrationSettings:
    """P3 protocol parameters (times in reduced units). P3 states T_liquid = 1.0, δt = 0.005 and
    Δt = 0.1; the thermostat lengths and the NVE length are not stated (SCIENCE_P3_P4 §1.5)."""

    liquid_T: float = 1.0          # glass: equilibrium liquid before the quench (P3)
    liquid_time: float = 100.0     # NVT time of the liquid at liquid_T (~10^2 structural times at T = 1)
    anneal_time: float = 100.0     # NVT at the target T after the quench / from the perfect crystal
    tdamp: float = 0.5             # Nose-Hoover damping time
    dt: float = 0.005              # velocity Verlet step (P3)
    every: float = 0.1             # dump interval Δt = IS lag (P3)
    production_time: float = 100.0  # NVE length (P3 figures reach t = 1e4)
    #: glass: FIRE-minimise the quenched liquid before the anneal (the T -> 0 limit of the descent
    #: the anneal must finish). Measured, N = 256, T = 1e-3, anneal 10 without it: the glass was
    #: still descending its landscape in NVE (Φ fell by 6 ε, T rose from 1e-3 to 1.6e-2 in 40
    #: time units, IS "events" of |ΔΦ_IS| up to 3 ε): P3's "extended" anneal is long.
    minimise_quench: bool = True


def vibration_run(model: PairModel, kind: str, *, N: int, density: float, T: float, seed: int,
                  dump_out, frames_out, log, settings: VibrationSettings | None = None,
                  liquid_data=None, meta: dict | None = None) -> list[dict]:
    """One P3 state (``kind`` "glass": from ``liquid_data``, a liquid written by ``prepare_sample``
    at ``settings.liquid_T``; "crystal": perfect FCC of ``model``, one species) through the NVT
    anneal at T to the NVE production: ``dump_out`` (``id type xu yu zu vx vy vz`` every
    ``settings.every``) and ``frames_out`` (t, pe, ke, temp per frame)."""
    from .protocols import fcc_crystal, md_with_dumps

    s = settings or VibrationSettings()
    if kind not in ("glass", "crystal"):
        raise ValueError(f"kind must be 'glass' or 'crystal', got {kind!r}")
    info = {}
    with scratch_dir(Path(dump_out).parent / "fcc.data") as scratch:   # not dump_out's (md_with_dumps')
        if kind == "crystal":
            data = scratch / "fcc.data"
            info = fcc_crystal(model, N=N, density=density, data_out=data, log=Path(log).with_suffix(".fcc.log"))
        elif liquid_data is None:
            raise ValueError("a glass needs liquid_data (prepare_sample at settings.liquid_T)")
        else:
            data = liquid_data
        rows = md_with_dumps(model, data, dump_out, dt=s.dt, every=s.every, t_end=s.production_time,
                             log=log, ensemble="nve", T=T, tdamp=s.tdamp, seed=seed,
                             anneal_time=s.anneal_time, velocities=True,
                             minimise_first=s.minimise_quench and kind == "glass",
                             from_minimum=kind == "crystal")
    write_table(pd.DataFrame(rows), frames_out,
                {"model": model.describe(), "kind": kind, "N": N, "T": T, "density": density, "seed": seed,
                 "settings": asdict(s), "units": UNITS, "pe": "total potential energy", "ke": "total kinetic",
                 **{f"crystal_{k}": v for k, v in info.items()}, **(meta or {})})
    return rows


def inherent_trajectory(model: PairModel, dump_in, outdir, *, dt: float, settings=None,
                        method: str = "fire", threshold: float = EVENT_THRESHOLD,
                        energy_threshold: float = ENERGY_THRESHOLD, window=FAR_FIELD_WINDOW,
                        t_end: float | None = None, stride: int = 1, log=None,
                        meta: dict | None = None) -> dict:
    """IS trajectory of an MD dump (P3 Sec. II C): FIRE (``method``) minimisation of the frames in
    one LAMMPS session (``minimise.FrameQuencher``), the dump streamed once. ``stride`` = 1: every
    frame (P3); ``stride`` = s: every s-th frame and the last, and where two successive IS differ
    (``is_trajectory.is_changed``) the frames between them are bisected down to adjacent frames
    (``is_trajectory.strided_minima``): every event is located at the dump lag Δt, for about
    1/s of the minimisations plus log2(s) per event; a change undone within s·Δt is not seen.
    Writes into ``outdir``:

    - ``is_trajectory.parquet``: per minimised frame t, lag (t minus the previous row's t: Δt, or
      s·Δt between strided frames with the same IS), phi_is (Φ_IS, Eq. 4), fmax, iterations,
      converged, dr (|Δr_IS| from the previous row, Eq. 5), dphi (Φ_IS(t) − Φ_IS(previous row);
      |dphi| is Eq. 6), n_rearr (Eq. 7), dr_from_0 (|r_IS(t) − r_IS(0)|, Fig. 8), dphi_from_0
      (ΔΦ_IS(t), Fig. 9), event (dr > ``threshold`` and |dphi| > ``energy_threshold``,
      ``is_transitions.is_jumps``; always at lag Δt); the first row (t = 0) has NaN step columns;
    - ``events.parquet``: one row per event with the far-field exponent a of its displacement
      field (``far_field_exponent``, fit window ``window``);
    - ``event_field.parquet``: r and |Δr_i|/|Δr_1| of the largest event (P3 Fig. 7b), its fit in
      the metadata (no rows if there is none);
    - ``rearrangements.parquet``: one row (``analysis.is_trajectory.rearrangements``; P3 Table I)
      with stride, frames (dumped frames covered) and minimised;
    - ``IS0.lammpstrj``: the IS of the first frame (the fixed IS of the lifetimes).

    ``dt``: MD time step (t = timestep x dt); ``t_end``: only the frames with t <= t_end (None =
    all). Returns the rearrangement summary."""
    from ..analysis import is_trajectory as ist
    from ..analysis.is_transitions import is_jumps
    from .dump import iter_dump, write_dump
    from .minimise import FrameQuencher, MinimiseSettings

    settings = settings or MinimiseSettings()
    threshold, window = float(threshold), tuple(window)
    outdir = Path(outdir)
    timesteps, template = [], []

    def frames():                    # the dump, read once; keeps only timesteps and the first frame
        for fr in iter_dump(dump_in):
            if t_end is not None and fr.timestep * dt > t_end * (1 + 1e-9):
                return
            timesteps.append(fr.timestep)
            if not template:
                template.append(fr)
            yield fr

    def changed(a, b):               # called after the first frame: template[0] is set
        return ist.is_changed(a.positions, b.positions, a.energy, b.energy, template[0].box_len,
                              threshold, energy_threshold)

    with FrameQuencher(model, method, settings, log) as quench:
        kept = ist.strided_minima(frames(), quench, changed, stride)
    if not kept:
        raise ValueError(f"{dump_in}: no frames")
    index = [k for k, _ in kept]
    res = [r for _, r in kept]
    first, box = template[0], template[0].box_len
    write_dump(_is_frame(first, res[0].positions), outdir / "IS0.lammpstrj")
    rows = [{"dr": math.nan, "dphi": math.nan, "n_rearr": math.nan, "dr_from_0": 0.0, "dphi_from_0": 0.0}]
    rows += [ist.step_row(a.positions, b.positions, res[0].positions, box, a.energy, b.energy, res[0].energy)
             for a, b in zip(res[:-1], res[1:])]
    t = np.asarray(timesteps, float)[index] * dt
    steps = pd.DataFrame({"t": t, "lag": np.concatenate([[math.nan], np.diff(t)]),
                          "phi_is": [r.energy for r in res],
                          "fmax": [r.fmax_atom for r in res], "iterations": [r.iterations for r in res],
                          "converged": [r.converged for r in res]}).join(pd.DataFrame(rows))
    jumps = (is_jumps(steps["phi_is"].to_numpy(), energy_threshold, steps["dr"].to_numpy()[1:], threshold)
             if len(res) > 1 else np.zeros(0, bool))
    steps["event"] = np.concatenate([[False], jumps])
    events, largest = [], None
    for k in np.flatnonzero(steps["event"].to_numpy()):
        field = ist.displacement_field(res[k - 1].positions, res[k].positions, box)
        fit = ist.far_field_exponent(field, res[k - 1].positions, box, window)
        events.append({c: steps.at[k, c] for c in ("t", "dr", "dphi", "n_rearr")} | fit)
        if largest is None or steps.at[k, "dr"] > largest[0]:
            largest = (steps.at[k, "dr"], ist.field_profile(field, res[k - 1].positions, box, fit["centre"]),
                       events[-1])
    summary = {**ist.rearrangements(steps.iloc[1:]), "stride": int(stride), "frames": len(timesteps),
               "minimised": len(res)}
    md = {"model": model.describe(), "source": str(dump_in), "minimiser": method,
          "minimise_settings": asdict(settings), "event_threshold": threshold,
          "energy_threshold": energy_threshold, "far_field_window": list(window), "units": UNITS, "dt": dt,
          "t_end": t_end, "stride": int(stride),
          "coverage": (f"IS of every {int(stride)}-th of the {len(timesteps)} dumped frames (and the last), "
                       "bisected to adjacent frames wherever two successive IS differ: every IS change is "
                       f"located at lag Delta t, except changes undone within {int(stride)} frames"),
          "unconverged_frames": int((~steps["converged"]).sum()), **(meta or {})}
    write_table(steps, outdir / "is_trajectory.parquet", md)
    ev_cols = ["t", "dr", "dphi", "n_rearr", "centre", "r_min", "r_max", "n_fit", "a", "a_err", "c"]
    write_table(pd.DataFrame(events, columns=ev_cols), outdir / "events.parquet", md)
    profile = largest[1] if largest else pd.DataFrame({"r": pd.Series(dtype=float), "ratio": pd.Series(dtype=float)})
    write_table(profile, outdir / "event_field.parquet", {**md, "event": largest[2] if largest else None})
    write_table(pd.DataFrame([summary]), outdir / "rearrangements.parquet", {**md, **summary})
    return summary


def anharmonic_chain(model: PairModel, outdir, *, N: int, spacing: float, T: float, seed: int,
                     dt: float = 0.005, every: float = 0.2, t_end: float = 200.0) -> dict:
    """A one-dimensional anharmonic chain through the MD side of the P3 pipeline, into ``outdir``:
    ``IS0.lammpstrj`` (its IS), ``traj.lammpstrj`` (NVE dumps with velocities every ``every`` up to
    ``t_end``), ``frames.parquet`` (t, pe, ke per frame, as ``vibration_run``'s): the inputs of
    ``mode_lifetimes(..., components=(0,))``.

    The chain: N particles of ``model`` (species in its number fractions, in a random order drawn
    from ``seed``) on a line along x, periodic with length N x ``spacing``, transverse box sides
    2 r_c + 1 (no transverse image in range). FIRE gives its IS. In a collinear configuration with
    zero transverse velocities every pair force lies along x, so the LAMMPS dynamics stays
    one-dimensional to the last bit with no constraint; the x block of the Hessian is its
    dynamical matrix (N - 1 modes, ``normal_modes(components=(0,))``) and the third-order vertex
    on x-polarised modes is U^(3)(r) a_k a_l a_m (an FPU-alpha-like cubic term of every pair in
    range). The start is a harmonic canonical sample of the IS at T (``harmonic_sample``: every
    mode already at equipartition), so NVE needs no thermostat. Returns N, spacing, box_len,
    phi_is, omega_max and the run parameters."""
    from ..analysis.harmonic import harmonic_sample, normal_modes
    from ..configuration import Frame
    from ..systems import sample_seed, species_counts
    from .dump import write_dump
    from .minimise import minimise
    from .protocols import md_with_dumps, state_data

    if not (N >= 8 and spacing > 0 and T > 0):
        raise ValueError(f"anharmonic_chain needs N >= 8, spacing > 0 and T > 0; got N={N}, spacing={spacing}, T={T}")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    counts = species_counts(N, model.fractions)
    types = np.random.default_rng(sample_seed(seed, "chain", "order")).permutation(
        np.repeat(np.arange(1, len(counts) + 1), counts))
    side = 2.0 * model.max_cutoff() + 1.0
    box = np.array([N * spacing, side, side])
    x = np.column_stack([(np.arange(N) + 0.5) * spacing, np.full(N, 0.5 * side), np.full(N, 0.5 * side)])
    res = minimise(model, Frame(x, box, types), "fire", log=outdir / "is.log")
    if not res.converged:
        raise RuntimeError(f"anharmonic_chain: FIRE did not converge (max |F_i| = {res.fmax_atom:.3g}, "
                           f"see {outdir / 'is.log'})")
    inherent = Frame(res.positions, box, types)
    write_dump(inherent, outdir / "IS0.lammpstrj")
    omega, vectors = normal_modes(inherent, model, components=(0,))
    disp, vel = harmonic_sample(omega, vectors, T, sample_seed(seed, "chain", "harmonic"))
    start = Frame(inherent.positions + disp.reshape(N, 3), box, types)
    data = state_data(model, start, vel.reshape(N, 3), outdir / "start.data", outdir / "start.log")
    rows = md_with_dumps(model, data, outdir / "traj.lammpstrj", dt=dt, every=every, t_end=t_end,
                         log=outdir / "md.log", ensemble="nve", velocities=True)
    info = {"N": N, "spacing": spacing, "box_len": box.tolist(), "phi_is": res.energy,
            "omega_max": float(omega.max()), "seed": seed, "T": T, "dt": dt, "every": every, "t_end": t_end}
    write_table(pd.DataFrame(rows), outdir / "frames.parquet",
                {"model": model.describe(), "kind": "chain", "units": UNITS, **info,
                 "pe": "total potential energy", "ke": "total kinetic"})
    return info


def _is_frame(fr, positions):
    from ..configuration import Frame

    return Frame(positions, fr.box_len, fr.types, ids=fr.ids, box_lo=fr.box_lo, diameters=fr.diameters,
                 timestep=fr.timestep)


def mode_lifetimes(model: PairModel, dump_in, is0, frames_table, outdir, *, T: float, rearranges: bool,
                   bin_width: float = BIN_WIDTH, max_lag_fraction: float = 0.5, theory: dict | None = None,
                   theory_stride: int = 1, components=None, meta: dict | None = None) -> pd.DataFrame:
    """Mode lifetimes of one run (P3 Sec. II D-E) into ``outdir``:

    - ``msd.parquet``: t, msd (P3 Fig. 1; every run);
    - for a run without rearrangements (``rearranges`` False; otherwise these tables have no rows):
      ``modes.parquet`` per mode k: omega, e_mean_over_T (⟨E_k⟩/T), var_over_T2, tau, tau_crossing,
      decayed, lower_bound (MD), gamma, gamma_split, gamma_combine, tau_theory (three-phonon, Eq. 13;
      NaN for modes outside ``theory_stride``);
      ``bins.parquet`` per ω bin: n_modes, n_decayed, tau_mean/median/gmean (MD), tau_theory_mean
      (over modes with Γ_k > 0, ``no_resonance``), n_theory_infinite (Γ_k = 0: no resonant triple inside the δ window, small
      crystals), ratio = tau_mean / tau_theory_mean, equipartition ratio and err;
      ``energy.parquet`` per frame: t, sum_E (Σ_k E_k), excess (ke + pe − Φ_IS from the MD frames
      table and the IS energy: equal to sum_E in the harmonic limit);
      ``jdos.parquet``: omega, j_split, j_combine, g (vDOS) of the IS (P3 Eq. 14, Fig. 4).

    ``is0``: dump of the fixed IS (``inherent_trajectory``'s IS0); ``frames_table``: the MD frames
    table of ``vibration_run``. ``max_lag_fraction``: C_k up to this fraction of the run.
    ``theory``: keyword arguments of ``three_phonon.linewidths`` (width, cutoff_sigmas), None = its
    defaults; ``theory_stride``: Γ_k for every ``theory_stride``-th mode (1 = all, as P3; 0 = none;
    the per-mode cost is what large N and the demo budget limit); ``components``: the modes of
    motion confined to these Cartesian components (``normal_modes``; (0,) for ``anharmonic_chain``),
    None = all. Returns the bins table."""
    from ..analysis import mode_lifetimes as ml
    from ..analysis.dynamics import lag_grid, mean_squared_displacement
    from ..analysis.harmonic import joint_dos, normal_modes, vdos
    from ..analysis.hessian import energy_forces
    from ..analysis.three_phonon import linewidths
    from ..geometry import unwrap_to
    from ..io.tables import read_table
    from .dump import iter_dump, read_dump

    bin_width = float(bin_width)
    theory = dict(theory or {})
    outdir = Path(outdir)
    pos, vel = [], []
    for fr in iter_dump(dump_in):
        if fr.velocities is None:
            raise ValueError(f"{dump_in}: mode energies need velocities (dump columns vx vy vz)")
        pos.append(fr.unwrapped())
        vel.append(fr.velocities)
    pos, vel = np.asarray(pos), np.asarray(vel)
    md_frames, _ = read_table(frames_table)
    t = md_frames["t"].to_numpy(float)
    if len(t) != len(pos):
        raise ValueError(f"{frames_table} has {len(t)} rows, {dump_in} {len(pos)} frames")
    frame_dt = float(t[1] - t[0])
    md = {"model": model.describe(), "T": T, "units": UNITS, "bin_width": bin_width, "source": str(dump_in),
          "max_lag_fraction": max_lag_fraction, "frame_dt": frame_dt, "theory": theory,
          "rearranges": bool(rearranges), "theory_stride": int(theory_stride),
          "min_fluctuation": ml.MIN_FLUCTUATION,
          "components": None if components is None else list(components), **(meta or {})}
    lags = lag_grid(len(pos), per_decade=10)
    write_table(pd.DataFrame({"t": lags * frame_dt, "msd": mean_squared_displacement(pos, lags=lags)}),
                outdir / "msd.parquet", {**md, "msd": "<(1/N) sum_i |r_i(t0 + t) - r_i(t0)|^2>_t0 (P3 Eq. 3)"})
    mode_cols = ["omega", "e_mean_over_T", "var_over_T2", "tau", "tau_crossing", "decayed", "lower_bound",
                 "gamma", "gamma_split", "gamma_combine", "tau_theory"]
    bin_cols = ["omega", "n_modes", "n_decayed", "tau_mean", "tau_median", "tau_gmean", "tau_theory_mean",
                "n_theory_infinite", "ratio", "equipartition", "equipartition_err"]
    if rearranges:
        skipped = {**md, "skipped": "the IS changed during the run (rearrangements): no fixed IS"}
        write_table(pd.DataFrame(columns=mode_cols), outdir / "modes.parquet", skipped)
        write_table(pd.DataFrame(columns=bin_cols), outdir / "bins.parquet", skipped)
        write_table(pd.DataFrame(columns=["t", "sum_E", "excess"]), outdir / "energy.parquet", skipped)
        write_table(pd.DataFrame(columns=["omega", "j_split", "j_combine", "g"]), outdir / "jdos.parquet", skipped)
        return pd.DataFrame(columns=bin_cols)
    ref = read_dump(is0)
    omega, vectors = normal_modes(ref, model, components=components)
    r_is = unwrap_to(pos[0], ref.positions, ref.box_len)
    A, Adot = ml.mode_amplitudes(pos, vel, r_is, vectors)
    E = ml.mode_energies(A, Adot, omega)
    del A, Adot
    max_lag = max(1, min(len(t) - 1, int(max_lag_fraction * (len(t) - 1))))
    C, _ = ml.energy_autocorrelation(E, max_lag)
    fluct = ml.energy_fluctuation(E, T)
    life = ml.lifetimes(C, frame_dt, fluct)
    modes = pd.DataFrame({"omega": omega, "e_mean_over_T": E.mean(axis=0) / T, "var_over_T2": fluct,
                          **{c: life[c] for c in life}})
    for c in ("gamma", "gamma_split", "gamma_combine", "tau_theory"):
        modes[c] = np.nan
    if theory_stride:
        sel = np.arange(0, len(omega), int(theory_stride))
        th = linewidths(ref, model, omega, vectors, T, modes=sel, **theory)
        for c, src in (("gamma", "gamma"), ("gamma_split", "gamma_split"), ("gamma_combine", "gamma_combine"),
                       ("tau_theory", "tau")):
            modes.loc[th["mode"].to_numpy(), c] = th[src].to_numpy()
    bins = ml.binned_lifetimes(omega, life["tau"], life["decayed"], bin_width)
    idx = ml.frequency_bins(omega, bin_width)
    # Γ_k = 0 up to roundoff (<= NO_RESONANCE x max Γ): no resonant triple inside the δ window (small
    # crystals; measured FCC N = 256: 3 of 92 modes at ω = 10-15 with τ ~ 1e20), left out of the mean
    none = pd.Series(ml.no_resonance(modes["gamma"]))
    finite = modes["tau_theory"].where(~none)
    key = np.floor(bins["omega"] / bin_width).astype(int)
    bins["tau_theory_mean"] = finite.groupby(idx).mean().reindex(key).to_numpy()
    bins["n_theory_infinite"] = none.groupby(idx).sum().reindex(key).to_numpy()
    bins["ratio"] = bins["tau_mean"] / bins["tau_theory_mean"]
    eq = ml.equipartition(E, omega, T, bin_width)
    bins["equipartition"] = eq["ratio"].to_numpy()
    bins["equipartition_err"] = eq["err"].to_numpy()
    phi_is = energy_forces(ref, model)[0]
    energy = pd.DataFrame({"t": t, "sum_E": E.sum(axis=1),
                           "excess": md_frames["ke"].to_numpy() + md_frames["pe"].to_numpy() - phi_is})
    grid = np.linspace(0.0, 1.05 * float(omega.max()), 200)
    j_split, j_comb = joint_dos(omega, grid, **theory)
    g, edges = vdos(omega, grid)
    md_modes = {**md, "phi_is": phi_is, "tau": "C_k(tau) = 1/e (P3 Eq. 9)",
                "tau_theory": "1/Gamma_k, classical three-phonon (P3 Eq. 13)"}
    write_table(modes, outdir / "modes.parquet", md_modes)
    write_table(bins, outdir / "bins.parquet", md_modes)
    write_table(energy, outdir / "energy.parquet", md_modes)
    write_table(pd.DataFrame({"omega": grid, "j_split": j_split, "j_combine": j_comb,
                              "g": np.interp(grid, 0.5 * (edges[1:] + edges[:-1]), g)}),
                outdir / "jdos.parquet", md_modes)
    return bins
