"""numba kernels of ``glasstools.analysis.three_phonon`` (backend 'numba'): the K_c blocks of a group
of atoms and the fused window epilogues (mask, Gaussian delta, |V|^2, scatter to Gamma). They compute
exactly what the numpy code of ``three_phonon`` computes (same formulas, see its docstring); the GIL
is released so that the worker threads run them in parallel."""
from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def k_group(ec, atoms, nbr, n, a_coef, b_coef, out):
    """out (na, nb, D, S+1, D): slot 0 sum_p T_p(a_c), slot s -T_p(a_c), a_c = e_c,nbr - e_c,atom,
    T(a) = A (n.a) n n^T + B (a n^T + n a^T + (n.a) I)."""
    na, s1 = nbr.shape
    dim, nb = ec.shape[1], ec.shape[2]
    a = np.empty(dim)
    diag = np.empty((dim, dim))
    for r in range(na):
        i = atoms[r]
        for c in range(nb):
            diag[:, :] = 0.0
            for sl in range(s1 - 1):
                j = nbr[r, sl + 1]
                ac, bc = a_coef[r, sl], b_coef[r, sl]
                s = 0.0
                for x in range(dim):
                    a[x] = ec[j, x, c] - ec[i, x, c]
                    s += n[r, sl, x] * a[x]
                for x in range(dim):
                    nx = n[r, sl, x]
                    for y in range(dim):
                        ny = n[r, sl, y]
                        t = ac * s * nx * ny + bc * (a[x] * ny + nx * a[y])
                        if x == y:
                            t += bc * s
                        out[r, c, x, sl + 1, y] = -t
                        diag[x, y] += t
            for x in range(dim):
                for y in range(dim):
                    out[r, c, x, 0, y] = diag[x, y]


@njit(nogil=True, cache=True)
def triple_epilogue(c, a0, b0, v, a_rows, omega, inv2, sigma, w, norm, split, comb, scatter_all):
    """Triples (c; a <= b), a = a0.., b = b0..; v[a, b] (``a_rows``) or v[b, a]."""
    oc, ic = omega[c], inv2[c]
    la, lb = (v.shape[0], v.shape[1]) if a_rows else (v.shape[1], v.shape[0])
    acc = 0.0
    for ia in range(la):
        a = a0 + ia
        for ib in range(lb):
            b = b0 + ib
            if a > b:
                continue
            x = oc - omega[a] - omega[b]
            if abs(x) >= w:
                continue
            vv = v[ia, ib] if a_rows else v[ib, ia]
            g = norm * math.exp(-0.5 * (x / sigma) ** 2) * vv * vv
            if a == b:
                acc += 0.5 * g * inv2[a] * inv2[b]
                if scatter_all:
                    comb[a] += g * inv2[b] * ic
            else:
                acc += g * inv2[a] * inv2[b]
                if scatter_all:
                    comb[a] += g * inv2[b] * ic
                    comb[b] += g * inv2[a] * ic
    split[c] += acc


@njit(nogil=True, cache=True)
def combine_epilogue(k, m0, l0, v, omega, inv2, sigma, w, norm, comb):
    """Gamma_k's combine terms delta(omega_k + omega_l - omega_m), v[m, l], m = m0.., l = l0.."""
    ok = omega[k]
    acc = 0.0
    for im in range(v.shape[0]):
        m = m0 + im
        for il in range(v.shape[1]):
            l = l0 + il
            x = ok + omega[l] - omega[m]
            if abs(x) >= w:
                continue
            vv = v[im, il]
            acc += norm * math.exp(-0.5 * (x / sigma) ** 2) * vv * vv * inv2[l] * inv2[m]
    comb[k] += acc
