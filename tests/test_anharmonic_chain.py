"""Issue 12: MD mode lifetimes of an anharmonic oscillator chain against the three-phonon theory.

A periodic collinear chain of P3's r^-12 mixture (N = 256, random sequence of the two species,
spacing 1, so every pair has an FPU-alpha-like cubic term U^(3) of its own), moving along x only
(``lammps.vibrations.anharmonic_chain``: real LAMMPS NVE through ``pair_style table`` from a
harmonic canonical sample of the IS, no thermostat), then the pipeline's ``mode_lifetimes``: MD
tau_k (C_k = 1/e, P3 Eq. 9) and tau_k = 1/Gamma_k (P3 Eq. 13, ``three_phonon.linewidths``) of the
same 255 modes.

Where the theory is meant to hold (measured, benchmarks/p3_chain.py): in the interior of the band
(0.25 <= omega/omega_max < 0.875) MD/theory per band of omega_max/8 is 0.95-1.45 at T = 0.05, the
geometric mean over the interior 1.08-1.17 (three chains, seeds 1, 5, 11); doubling or halving
Gamma, dropping the 1/2 of splitting, or dropping either channel moves it to 1.66-2.33 or
0.50-0.62 (checked), outside the asserted [0.75, 1.5]. Outside it the chain is not a fair test of Fermi's golden rule and the test does
not use it: at low omega a 1D chain keeps quasi-momentum (collinear acoustic decay is nearly
resonant), Gamma_k depends on the delta broadening (no plateau: x1.5 between widths 5 and 10)
and MD decays 2-3x faster than the theory; the top band holds modes localised on stiff clusters
that live 4-5x longer in MD than the theory says.
"""
import math

import numpy as np
import pytest

from glasstools.analysis.hessian import hessian
from glasstools.io import read_table
from glasstools.lammps.dump import iter_dump, read_dump
from glasstools.lammps.vibrations import anharmonic_chain, mode_lifetimes
from glasstools.models import get_model

T = 0.05
N = 256
INTERIOR = (0.25, 0.875)     # omega / omega_max where MD is compared with the theory


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    out = tmp_path_factory.mktemp("chain")
    model = get_model("p3_ipl12")
    info = anharmonic_chain(model, out, N=N, spacing=1.0, T=T, seed=11, every=0.2, t_end=200.0)
    mode_lifetimes(model, out / "traj.lammpstrj", out / "IS0.lammpstrj", out / "frames.parquet", out,
                   T=T, rearranges=False, components=(0,), bin_width=3.0)
    modes, md = read_table(out / "modes.parquet")
    return model, out, info, modes, md


def test_chain_dynamics_stays_one_dimensional_and_modes_are_the_x_block(chain):
    model, out, info, modes, _ = chain
    ref = read_dump(out / "IS0.lammpstrj")
    side = info["box_len"][1]
    for k, fr in enumerate(iter_dump(out / "traj.lammpstrj")):
        if k % 50 == 0:                           # exactly collinear: no transverse force ever
            assert np.all(fr.unwrapped()[:, 1:] == 0.5 * side)
            assert np.all(fr.velocities[:, 1:] == 0.0)
    # the x-polarised modes are eigenpairs of the full 3N Hessian (x and y, z blocks decouple)
    from glasstools.analysis.harmonic import normal_modes

    omega, vectors = normal_modes(ref, model, components=(0,))
    assert len(omega) == N - 1 and np.allclose(omega, modes["omega"], rtol=1e-12)
    h = hessian(ref, model)
    resid = np.abs(h @ vectors - vectors * omega**2).max()
    assert resid < 1e-9 * omega.max() ** 2
    assert np.all(vectors.reshape(N, 3, -1)[:, 1:] == 0.0)


def test_chain_equipartition_from_the_harmonic_sample(chain):
    _, _, _, modes, _ = chain
    # NVE from one harmonic canonical sample: its total energy is one draw (relative std
    # 1/sqrt(N - 1) = 0.063), shared out equally among the modes (equipartition per band of
    # omega_max/8, up to anharmonic O(T) terms and the time-average noise ~ sqrt(2 tau_k / t_run))
    e = modes["e_mean_over_T"]
    assert e.mean() == pytest.approx(1.0, abs=0.2)
    band = np.floor(modes["omega"] / modes["omega"].max() * 8).clip(upper=7)
    assert (e.groupby(band).mean() / e.mean()).between(0.8, 1.2).all()
    assert modes["var_over_T2"].median() == pytest.approx(1.0, abs=0.25)   # exponential E_k: var = T^2


def test_chain_md_lifetimes_agree_with_three_phonon_theory_in_the_band_interior(chain):
    _, _, info, modes, md = chain
    x = modes["omega"] / info["omega_max"]
    inner = modes[(x >= INTERIOR[0]) & (x < INTERIOR[1])]
    assert len(inner) > 120
    assert inner["decayed"].mean() >= 0.95                     # runs of >= 20 tau_k
    assert np.isfinite(inner["tau_theory"]).all() and (inner["gamma"] > 0).all()
    ratio = inner["tau"] / inner["tau_theory"]
    gm = math.exp(np.log(ratio[inner["decayed"]]).mean())
    # a factor-2 error on either side (prefactor, the 1/2 of splitting, C_k threshold) leaves this
    assert 0.75 <= gm <= 1.5, gm
    band = np.floor(x[inner.index] * 8)
    per_band = np.exp(np.log(ratio[inner["decayed"]]).groupby(band[inner["decayed"]]).mean())
    assert per_band.between(0.6, 1.8).all(), per_band.to_dict()
    assert md["components"] == [0]
