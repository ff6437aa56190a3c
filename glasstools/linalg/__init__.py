"""Sparse symmetric linear algebra for Hessians: factorisations (``factor``: solve, inertia),
solves on the complement of the global translations (``solve_translation_free``) and seeded
iterative eigen-solvers (``eigen``). Used by the INM analysis (``glasstools.analysis.modes``) and
meant for linear response (shear modulus Born - Xi H^-1 Xi, dipole stiffness)."""
from .eigen import (DEFAULT_SEED, block_davidson, cholesky_below_spectrum, eigsh, lambda_max, lambda_min_estimate,
                    lowest_shift_invert, start_vector)
from .factor import (BACKEND_ENV, Factorisation, Inertia, NotPositiveDefinite, count_below, factor, have_pardiso,
                     resolve_backend)
from .translations import (TranslationFreeFactorisation, check_translation_invariant, deflate_translations,
                           factor_translation_free, project_out_translations, solve_translation_free,
                           translation_basis)

__all__ = ["DEFAULT_SEED", "block_davidson", "cholesky_below_spectrum", "eigsh", "lambda_max", "lambda_min_estimate",
           "lowest_shift_invert", "start_vector", "BACKEND_ENV", "Factorisation", "Inertia", "NotPositiveDefinite",
           "count_below", "factor", "have_pardiso", "resolve_backend", "TranslationFreeFactorisation",
           "check_translation_invariant", "deflate_translations", "factor_translation_free",
           "project_out_translations", "solve_translation_free", "translation_basis"]
