"""Periodic geometry (minimum image, wrap, unwrap, displacements) and the Frame type."""
import numpy as np
import pytest

from glasstools.configuration import Frame
from glasstools.geometry import (displacements, distances_from, minimum_image, slab, unwrap,
                                 unwrap_to, wrap)


@pytest.fixture
def rng():
    return np.random.default_rng(7)


def test_minimum_image_is_the_shortest_periodic_copy(rng):
    box = np.array([3.0, 4.0, 5.0])
    d = rng.uniform(-12, 12, (500, 3))
    m = minimum_image(d, box)
    assert np.all(np.abs(m) <= box / 2 + 1e-12)
    shifts = np.round((d - m) / box)                      # differs by whole box vectors
    np.testing.assert_allclose(d - m, shifts * box, atol=1e-12)
    # brute force over the 27 neighbouring images
    imgs = np.array(np.meshgrid(*[[-1, 0, 1]] * 3)).reshape(3, -1).T
    cand = m[:, None, :] + imgs[None] * box
    np.testing.assert_allclose(np.linalg.norm(m, axis=1), np.linalg.norm(cand, axis=2).min(axis=1))
    np.testing.assert_array_equal(minimum_image(d, None), d)


def test_wrap_unwrap_round_trip(rng):
    box, lo = np.array([3.0, 4.0]), np.array([-1.0, 2.0])
    x = lo + rng.uniform(0, 1, (200, 2)) * box
    n = rng.integers(-3, 4, x.shape)
    far = unwrap(x, n, box)
    np.testing.assert_allclose(far, x + n * box)
    w = wrap(far, box, lo)
    assert np.all((w >= lo) & (w < lo + box))
    np.testing.assert_allclose(w, x, atol=1e-12)
    # x mod L can round to L for tiny negative x: still inside [0, L)
    assert wrap(np.array([[-1e-17, 0.0]]), box)[0, 0] == 0.0


def test_displacements_distances_and_unwrap_to():
    box = np.full(3, 4.0)
    a = np.array([[0.1, 2.0, 2.0], [2.0, 2.0, 2.0]])
    b = np.array([[3.9, 2.0, 2.0], [2.0, 2.5, 2.0]])
    np.testing.assert_allclose(displacements(a, b, box), [[-0.2, 0, 0], [0, 0.5, 0]], atol=1e-12)
    np.testing.assert_allclose(displacements(a, a + [3.0, 0, 0]), [[3.0, 0, 0]] * 2)
    np.testing.assert_allclose(unwrap_to(a, b, box)[0], [-0.1, 2.0, 2.0])
    np.testing.assert_allclose(distances_from(a, box, 0), [0.0, 1.9])
    with pytest.raises(ValueError, match="differ in shape"):
        displacements(a, b[:1], box)


def test_slab_selects_across_the_boundary():
    box = np.full(3, 10.0)
    pos = np.array([[1, 1, 0.2], [1, 1, 9.8], [1, 1, 5.0]], float)
    mask, axes = slab(pos, box, normal=2, centre=0.0, width=1.0)
    assert mask.tolist() == [True, True, False] and axes == [0, 1]
    assert slab(pos[:, :2], box[:2])[0].all()


def test_frame_defaults_validation_and_displacements():
    f = Frame(np.zeros((3, 3)), [5.0, 5.0, 5.0], 1)
    assert f.ids.tolist() == [1, 2, 3] and f.types.tolist() == [1, 1, 1]
    assert f.box_lo.tolist() == [0, 0, 0] and f.n == 3 and f.dim == 3
    g = Frame(np.array([[4.9, 0, 0], [0, 0, 0], [0, 0, 0.1]]), [5.0] * 3, 1,
              images=np.array([[1, 0, 0], [0, 0, 0], [0, -1, 0]]))
    np.testing.assert_allclose(f.displacements_to(g), [[-0.1, 0, 0], [0, 0, 0], [0, 0, 0.1]], atol=1e-12)
    np.testing.assert_allclose(g.unwrapped()[[0, 2]], [[9.9, 0, 0], [0, -5.0, 0.1]])
    with pytest.raises(ValueError, match="types differ"):
        f.displacements_to(Frame(g.positions, g.box_len, 2))
    with pytest.raises(ValueError, match=r"\(N, 2\) or \(N, 3\)"):
        Frame(np.zeros(3), [1.0], 1)
    with pytest.raises(ValueError, match="box_len/box_lo must have 3"):
        Frame(np.zeros((2, 3)), [1.0, 1.0], 1)
    with pytest.raises(ValueError, match="diameters must have N = 2"):
        Frame(np.zeros((2, 3)), [1.0] * 3, 1, diameters=[1.0])
