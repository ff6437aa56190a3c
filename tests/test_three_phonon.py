"""Harmonic modes and three-phonon linewidths (glasstools.analysis.harmonic, .three_phonon) on P3's
force-shifted r^-12 glass and its FCC crystal: the normal-mode spectrum of the crystal against lattice
dynamics, V_klm against finite differences of the analytic Hessian along modes, the symmetry and the
translational invariance of the third-order tensor, crystal-momentum selection in the FCC crystal,
windowed Gamma equal to the dense brute force, Gamma exactly proportional to T, the joint DOS sums."""
import numpy as np
import pytest
from conftest import LammpsConfig

from glasstools.analysis import three_phonon as tp
from glasstools.analysis.harmonic import gaussian_delta, joint_dos, normal_modes, vdos
from glasstools.analysis.hessian import hessian
from glasstools.configuration import Frame
from glasstools.lammps.minimise import minimise
from glasstools.models import get_model
from glasstools.systems.state import box_length

RHO = 1.015


@pytest.fixture(scope="module")
def glass():
    """N = 128 P3 glass IS (FIRE through the LAMMPS table), cutoff 2.0 sigma_ab so that r_c < L/2."""
    model = get_model("p3_ipl12", rc_over_sigma=2.0)
    cfg = LammpsConfig(model, box_length(128, RHO), [64, 64], seed=7, overlap=0.75)
    res = minimise(model, cfg.frame, "fire")
    cfg.close()
    assert res.converged
    frame = Frame(res.positions, cfg.box_len, cfg.types)
    omega, vectors = normal_modes(frame, model)
    return frame, model, omega, vectors


def fcc(cells):
    a = (4 / RHO) ** (1 / 3)
    base = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    grid = np.stack(np.meshgrid(*[np.arange(cells)] * 3, indexing="ij"), -1).reshape(-1, 1, 3)
    x = ((grid + base) * a).reshape(-1, 3) + 0.1
    return Frame(x, np.full(3, cells * a), 1), a


CRYSTAL = get_model("p3_ipl12", diameters=[1.0], fractions=[1.0])


def lattice_dynamics(model, a, cells):
    """omega^2 of the FCC Bravais lattice at the q of a cells^3 conventional supercell:
    D(q) = sum_R Phi(R) (1 - cos q.R), Phi = U'' n n^T + U'/r (I - n n^T) (one atom per cell)."""
    rng = np.arange(-6, 7)
    r = np.stack(np.meshgrid(rng, rng, rng, indexing="ij"), -1).reshape(-1, 3)
    r = 0.5 * a * r[(r.sum(axis=1) % 2 == 0) & (np.abs(r).sum(axis=1) > 0)]
    d = np.linalg.norm(r, axis=1)
    p = {"sig": np.ones_like(d)}
    r, d = r[d < 2.5], d[d < 2.5]
    p = {"sig": np.ones_like(d)}
    n = r / d[:, None]
    d1, d2 = model.du(d, p) / d, model.d2u(d, p)
    phi = (d2 - d1)[:, None, None] * n[:, :, None] * n[:, None, :] + d1[:, None, None] * np.eye(3)
    h = np.arange(2 * cells)  # q = 2 pi (h, k, l) / (cells a): each q of the supercell twice
    q = 2 * np.pi / (cells * a) * np.stack(np.meshgrid(h, h, h, indexing="ij"), -1).reshape(-1, 3)
    dq = np.einsum("qr,rab->qab", 1 - np.cos(q @ r.T), phi)
    lam = np.sort(np.linalg.eigvalsh(dq).ravel())[::2]
    return np.sqrt(lam[3:])


def test_normal_modes_of_fcc_crystal_against_lattice_dynamics():
    frame, a = fcc(4)
    omega, vectors = normal_modes(frame, CRYSTAL)
    assert omega.shape == (765,) and vectors.shape == (768, 765)
    np.testing.assert_allclose(omega, lattice_dynamics(CRYSTAL, a, 4), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(vectors.T @ vectors, np.eye(765), atol=1e-12)
    assert np.abs(vectors.reshape(256, 3, -1).sum(axis=0)).max() < 1e-10     # orthogonal to translations


def test_normal_modes_refuse_a_non_minimum_and_extra_zero_modes():
    frame, a = fcc(4)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="not an inherent structure"):   # compressed pair: unstable
        x = frame.positions.copy()
        x[0] = x[1] + 0.5 * (x[0] - x[1])
        normal_modes(Frame(x, frame.box_len, 1), CRYSTAL)
    far = Frame(rng.uniform(0, 1, (4, 3)) + 10.0 * np.eye(4, 3), np.full(3, 40.0), 1)   # no pairs
    with pytest.raises(ValueError, match="zero mode"):
        normal_modes(far, CRYSTAL)


def test_vdos_and_joint_dos_normalisation_and_direct_sum():
    rng = np.random.default_rng(1)
    omega = np.sort(rng.uniform(0.5, 10.0, 60))
    g, edges = vdos(omega, 20)
    assert np.sum(g * np.diff(edges)) == pytest.approx(1.0, rel=1e-14)
    grid = np.linspace(-12, 22, 1701)
    js, jc = joint_dos(omega, grid, width=5.0)
    sigma = 5.0 * omega.max() / 60
    direct_s = 0.5 * gaussian_delta(grid[:, None, None] - omega[:, None] - omega[None, :], sigma, 3.0).sum((1, 2))
    direct_c = gaussian_delta(grid[:, None, None] + omega[:, None] - omega[None, :], sigma, 3.0).sum((1, 2))
    np.testing.assert_allclose(js, direct_s / 60**2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(jc, direct_c / 60**2, rtol=1e-12, atol=1e-15)
    step = grid[1] - grid[0]
    assert np.sum(js) * step == pytest.approx(0.5, rel=1e-3)     # (1/2) per ordered pair
    assert np.sum(jc) * step == pytest.approx(1.0, rel=1e-3)
    assert np.all(js[grid < 1.0 - 3 * sigma] == 0)               # omega_l + omega_m >= 1


def test_hessian_derivative_and_vertex_against_finite_differences(glass):
    frame, model, omega, vectors = glass
    h = 1e-5
    for k, l, m in [(0, 5, 9), (100, 101, 250), (380, 200, 3)]:
        u = vectors[:, k].reshape(-1, 3)
        hp = hessian(Frame(frame.positions + h * u, frame.box_len, frame.types), model)
        hm = hessian(Frame(frame.positions - h * u, frame.box_len, frame.types), model)
        kd = ((hp - hm) / (2 * h)).toarray()
        ka = tp.hessian_derivative(frame, model, u).toarray()
        assert np.abs(ka - kd).max() <= 1e-7 * np.abs(ka).max()
        v_fd = vectors[:, l] @ kd @ vectors[:, m]
        v_an = tp.vertex(frame, model, vectors, k, l, m)[0]
        assert v_an == pytest.approx(v_fd, rel=1e-6)
        assert v_an == pytest.approx(vectors[:, l] @ ka @ vectors[:, m], rel=1e-12)


def test_vertex_symmetric_and_third_order_translation_invariant(glass):
    frame, model, omega, vectors = glass
    idx = [2, 60, 61, 300]
    kk = {k: tp.hessian_derivative(frame, model, vectors[:, k]) for k in idx}
    e = vectors[:, idx]
    v = np.stack([e.T @ (kk[k] @ e) for k in idx])          # V[k, l, m]
    scale = np.abs(v).max()
    for perm in [(1, 0, 2), (2, 1, 0), (0, 2, 1), (1, 2, 0)]:
        assert np.abs(v - v.transpose(perm)).max() <= 1e-12 * scale
    t = np.tile(np.eye(3), (frame.n, 1))                   # uniform translations x, y, z
    for c in range(3):                                     # sum over the third atom index
        assert np.abs(tp.hessian_derivative(frame, model, t[:, c]).toarray()).max() <= 1e-12 * scale
    for k in idx:                                          # sum over the second atom index
        assert np.abs(kk[k] @ t).max() <= 1e-12 * np.abs(kk[k].toarray()).max()


def test_crystal_momentum_selection_in_fcc():
    """In a perfect crystal, sum_p T_p(u1, u2, u3) of plane waves u_i = eps_i cos(q_i.R + phi_i)
    vanishes unless some +-q1 +-q2 +-q3 is a reciprocal-lattice vector (lattice-translation invariance)."""
    cells = 4
    frame, a = fcc(cells)
    rng = np.random.default_rng(2)
    b = 2 * np.pi / (cells * a)
    def wave(hkl):
        eps = rng.standard_normal(3)
        phase = np.cos(frame.positions @ (b * np.asarray(hkl, float)) + rng.uniform(0, 2 * np.pi))
        return (phase[:, None] * eps[None, :]).ravel()
    allowed = np.stack([wave((1, 0, 0)), wave((0, 2, 1)), wave((1, 2, 1))], axis=1)
    forbidden = np.stack([wave((1, 0, 0)), wave((0, 2, 1)), wave((1, 1, 1))], axis=1)
    v_ok = tp.vertex(frame, CRYSTAL, allowed, 0, 1, 2)[0]
    v_no = tp.vertex(frame, CRYSTAL, forbidden, 0, 1, 2)[0]
    assert abs(v_ok) > 1.0 and abs(v_no) < 1e-10 * abs(v_ok)


def test_windowed_linewidths_equal_dense_brute_force(glass):
    frame, model, omega, vectors = glass
    kw = dict(width=4.0, cutoff_sigmas=3.0)
    dense = tp.linewidths_dense(frame, model, omega, vectors, 0.01, **kw)
    win = tp.linewidths(frame, model, omega, vectors, 0.01, batch=16, **kw)
    for col in ("gamma", "gamma_split", "gamma_combine"):
        np.testing.assert_allclose(win[col], dense[col], rtol=1e-11, atol=1e-13 * dense["gamma"].max())
    assert (win["gamma_split"] > 0).sum() > 300 and (win["gamma_combine"] > 0).sum() > 300
    band = np.arange(150, 190)                             # per-mode path, numpy backend
    sub = tp.linewidths(frame, model, omega, vectors, 0.01, modes=band, backend="numpy", batch=7, **kw)
    np.testing.assert_allclose(sub["gamma"], dense["gamma"].iloc[band], rtol=1e-11)
    assert sub.attrs["method"] == "windowed per mode"
    half = tp.linewidths(frame, model, omega, vectors, 0.01, modes=np.arange(0, 381, 2), **kw)
    assert half.attrs["method"] == "windowed triples" and list(half["mode"]) == list(range(0, 381, 2))
    np.testing.assert_allclose(half["gamma"], dense["gamma"].iloc[::2], rtol=1e-11)
    assert list(win.columns) == ["mode", "omega", "gamma", "gamma_split", "gamma_combine", "tau"]
    np.testing.assert_allclose(win["tau"], 1 / win["gamma"], rtol=1e-15)
    sigma = win.attrs["sigma"]
    assert sigma == pytest.approx(4.0 * omega.max() / len(omega)) and win.attrs["T"] == 0.01
    low = omega < 2 * omega[0] - 3 * sigma                 # no pair below: exactly no splitting
    assert low.sum() >= 1 and np.all(win["gamma_split"][low] == 0)


def test_gamma_exactly_proportional_to_t(glass):
    frame, model, omega, vectors = glass
    band = np.arange(0, 381, 20)
    g1 = tp.linewidths(frame, model, omega, vectors, 1e-3, modes=band)["gamma"].to_numpy()
    g2 = tp.linewidths(frame, model, omega, vectors, 3e-2, modes=band)["gamma"].to_numpy()
    np.testing.assert_allclose(g2, 30.0 * g1, rtol=1e-14)
    with pytest.raises(ValueError, match="T must be"):
        tp.linewidths(frame, model, omega, vectors, 0.0)
    with pytest.raises(ValueError, match="width"):
        tp.linewidths(frame, model, omega, vectors, 0.01, width=-1)


def test_absolute_sigma_is_the_width_in_level_spacings_times_the_spacing(glass):
    """``sigma`` (absolute delta std) gives the numbers of ``width = sigma / Delta``, and is used:
    the default width gives other numbers."""
    frame, model, omega, vectors = glass
    spacing = omega.max() / len(omega)
    band = np.arange(0, 381, 25)
    ref = tp.linewidths(frame, model, omega, vectors, 0.01, modes=band, width=2.5)
    got = tp.linewidths(frame, model, omega, vectors, 0.01, modes=band, sigma=2.5 * spacing)
    np.testing.assert_allclose(got["gamma"], ref["gamma"], rtol=1e-12)
    assert got.attrs["sigma"] == 2.5 * spacing and got.attrs["width_level_spacings"] == pytest.approx(2.5)
    default = tp.linewidths(frame, model, omega, vectors, 0.01, modes=band)
    assert np.abs(default["gamma"] / ref["gamma"] - 1).max() > 1e-3
    grid = np.linspace(0.5, omega.max(), 7)
    np.testing.assert_allclose(joint_dos(omega, grid, sigma=2.5 * spacing), joint_dos(omega, grid, width=2.5),
                               rtol=1e-12)
    for bad in (0.0, -1.0, np.inf):
        with pytest.raises(ValueError, match="sigma"):
            tp.linewidths(frame, model, omega, vectors, 0.01, sigma=bad)
