"""Adaptive steepest descent zeta dr/dt = F by Runge-Kutta-Chebyshev steps (``sd.integrator: rkc``).

Explicit Euler (``fix brownian ... rng none``) is stable only for dt lambda_max/zeta < 2, for the
whole run, although after t ~ 1 only the soft modes still move. The second-order RKC method
(Sommeijer, Shampine, Verwer, J. Comput. Appl. Math. 88, 315 (1997), damping 2/13) with s stages
is stable for h lambda_max/zeta <= beta(s) ~ 0.65 s^2, so s force calls buy an s^2-times larger
step: the step follows the accuracy of the slow dynamics, the stage count the stiffness.

Dynamics stay inside LAMMPS: each stage is one LAMMPS time step of ``fix sd/rkc`` (our plugin,
``lammps_inputs/plugins/fix_sd_rkc.h``; neighbour lists, MPI, force-adding fixes as usual). This
module is the step control, identical on every MPI rank (it reads only global fix outputs):

- **error control in W**: after the s stages, one more force call at y_{n+1} + est (est = the RKC
  local error estimate, Sommeijer et al. Eq. 2.10) gives W there; the step is accepted when the
  local error in W = (1/N) sum_i |F_i|^2 is below ``tol``:
  |W(y_{n+1} + est) - W(y_{n+1})| <= tol W(y_{n+1}); new h = h min(5, max(0.2, 0.8 err^(-1/3)));
- **tolerance schedule** (optional, ``tol_late`` and ``tol_switch_W``): ``tol`` until the first
  accepted step that ends with W < ``tol_switch_W``, ``tol_late`` for every later try (latched: W
  may rise again above the level while crossing saddles; the schedule does not switch back).
  Why: the minimum a KA-LJ descent from T = 2 ends in is decided while W > 1e-2 (README, issue 15:
  RKC continued at tol 0.1 from a snapshot at W = 1e-2 reaches the same inherent structure in 8 of
  8 samples), while most force calls are spent below. A level of the fixed-W snapshots as
  ``tol_switch_W`` switches at the landed snapshot, within ``snapshot_rtol`` of the level; the run
  up to the switch is the one at ``tol`` alone, step for step;
- **stiffness**: lambda_max from a few power iterations with force differences (warm started, every
  ``lambda_every`` accepted steps, before a step more than twice the largest since the last
  estimate -- a stale lambda_max under-estimated by > 1/SAFETY makes the stiff modes grow like
  T_s outside [-1, 1], which lost atoms once at tol 0.1 -- and after 3 rejections in a row),
  stages s = smallest s >= 2 with
  beta(s) >= 1.2 h lambda_max / zeta;
- **stops**: steps are clipped to end exactly on the observers' times (log-t output grid); after a
  clipped or landed (below) step the next one starts from the controller's proposal, not from the
  shortened step;
- **fixed-W snapshots** (``FirstBelow`` on W): a step that takes W below a level L by more than
  ``snapshot_rtol`` is stepped back (restore y_n) and retaken with h from log-linear
  interpolation of W between the bracketing tries (regula falsi on log W, aimed at
  L (1 - rtol/2)), until L (1 - rtol) <= W < L: the snapshot is a configuration of the trajectory
  whose W is below the target by at most ``snapshot_rtol`` (relative). Euler's snapshot is the
  first step below L, i.e. below by up to |dW/dt| dt / W.

Force calls are counted as LAMMPS force evaluations: every ``run n`` costs n + 1 (its set-up
recomputes forces), the RKC probe and the power iterations included.
"""
from __future__ import annotations

import math
from functools import lru_cache

from .schedule import EPS, FirstBelow, Run
from .session import LammpsFailure, lammps_errors

#: RKC damping parameter (Sommeijer et al. 1997: 2/13)
DAMPING = 2.0 / 13.0
#: safety factor on the power-iteration estimate of lambda_max
SAFETY = 1.2
MAX_STAGES = 1000


@lru_cache(maxsize=None)
def stability_bound(s: int) -> float:
    """beta(s) = (1 + w0) T_s''(w0) / T_s'(w0), w0 = 1 + eps/s^2: the RKC step h is stable for
    h lambda in [0, beta(s)] (Sommeijer et al. 1997, Sec. 2; beta ~ 0.653 s^2)."""
    w0 = 1.0 + DAMPING / s**2
    t0, t1, d0, d1, dd0, dd1 = 1.0, w0, 0.0, 1.0, 0.0, 0.0
    for _ in range(2, s + 1):
        t0, t1, d0, d1, dd0, dd1 = (t1, 2 * w0 * t1 - t0, d1, 2 * t1 + 2 * w0 * d1 - d0,
                                    dd1, 4 * d1 + 2 * w0 * dd1 - dd0)
    return (1.0 + w0) * dd1 / d1


def stages(h_lambda: float) -> int:
    """Smallest s >= 2 with beta(s) >= h_lambda (``MAX_STAGES`` at most)."""
    s = max(2, int(math.sqrt(max(h_lambda, 0.0) / 0.653)))
    while s < MAX_STAGES and stability_bound(s) < h_lambda:
        s += 1
    return s


class RKCStepper:
    """Commands ``fix sd/rkc`` (fix ID ``fix_id``) in an open LAMMPS instance: steps, accept /
    restore, power iterations; counts force calls."""

    def __init__(self, lmp, tol: float, fix_id: str = "sd", lambda_every: int = 25, log=None,
                 tol_late: float | None = None, tol_switch_W: float | None = None):
        if not 0 < tol < 1:
            raise ValueError(f"tol must be in (0, 1), got {tol}")
        if (tol_late is None) != (tol_switch_W is None):
            raise ValueError(f"tol_late and tol_switch_W go together (the tolerance schedule), got "
                             f"tol_late = {tol_late}, tol_switch_W = {tol_switch_W}")
        if tol_late is not None and not 0 < tol_late < 1:
            raise ValueError(f"tol_late must be in (0, 1), got {tol_late}")
        if tol_switch_W is not None and not (math.isfinite(tol_switch_W) and tol_switch_W > 0):
            raise ValueError(f"tol_switch_W must be a finite W > 0, got {tol_switch_W}")
        self.lmp, self.tol, self.fix, self.log = lmp, tol, fix_id, log
        self.tol_late, self.tol_switch_W = tol_late, tol_switch_W
        #: (t, W) at the end of the accepted step that switched the tolerance to tol_late, or None
        self.switched = None
        self._last = (0.0, math.nan)   # (h, W) of the last try
        self.lambda_every = lambda_every
        self.force_calls = 0
        self.lam = None
        self.accepted = self.rejected = 0
        self._since_lambda = 0
        self._h_lambda = 0.0   # largest step since the last lambda estimate
        #: diagnostics: a list to which every try appends (t, h, s, W, err, kind, force calls), or None
        self.trace = None
        self.t = 0.0

    def _run(self, n: int) -> None:
        with lammps_errors("RKC steepest descent", self.log):
            self.lmp.command(f"run {n} pre no post no")
        self.force_calls += n + 1

    def _vector(self, k: int) -> float:
        return float(self.lmp.extract_fix(self.fix, 0, 1, k))

    def reset(self) -> None:
        """Take the current configuration as y_n (full LAMMPS set-up: neighbour lists, forces)."""
        self.lmp.command(f"fix_modify {self.fix} reset")
        with lammps_errors("RKC set-up", self.log):
            self.lmp.command("run 0 post no")
        self.force_calls += 1

    def spectral_radius(self, iterations: int) -> float:
        """lambda_max / zeta (the fix divides by its ZETA) by power iteration on force differences (warm started)."""
        self.lmp.command(f"fix_modify {self.fix} power")
        self._run(iterations)
        self.lmp.command(f"fix_modify {self.fix} restore")
        self.lam = self._vector(2)
        self._since_lambda = 0
        self._h_lambda = 0.0
        if not (math.isfinite(self.lam) and self.lam > 0):
            raise LammpsFailure(f"power iteration gave lambda_max = {self.lam} (see {self.log})")
        return self.lam

    def try_step(self, h: float, kind: str = "free") -> tuple[float, float]:
        """One RKC step of size h from y_n: returns (W(y_{n+1}), err) with err <= 1 acceptable.
        ``kind`` (what chose h: free, grid, stages, land) only labels the trace."""
        calls0 = self.force_calls
        if (self.lam is None or self._since_lambda >= self.lambda_every
                or (self._h_lambda > 0 and h > 2 * self._h_lambda)):
            self.spectral_radius(20 if self.lam is None else 5)
        self._h_lambda = max(self._h_lambda, h)
        s = stages(SAFETY * h * self.lam)
        self.lmp.command(f"fix_modify {self.fix} step {h!r} {s}")
        self._run(s + 1)
        W1, W2 = self._vector(0), self._vector(1)
        err = abs(W2 - W1) / (self.tol * W1) if W1 > 0 else 0.0
        err = err if math.isfinite(err) and math.isfinite(W1) else math.inf
        self._last = (h, W1)
        if self.trace is not None:
            self.trace.append(dict(t=self.t, h=h, s=s, W=W1, err=err, kind=kind, lam=self.lam,
                                   tol=self.tol, calls=self.force_calls - calls0))
        return W1, err

    def accept(self) -> None:
        """Accept the last try (y_n = y_{n+1}); switch to ``tol_late`` if it ended below ``tol_switch_W``."""
        self.lmp.command(f"fix_modify {self.fix} accept")
        self.accepted += 1
        self._since_lambda += 1
        h, W1 = self._last
        if self.switched is None and self.tol_late is not None and W1 < self.tol_switch_W:
            self.tol, self.switched = self.tol_late, (self.t + h, W1)

    def restore(self) -> None:
        self.lmp.command(f"fix_modify {self.fix} restore")

    def max_step(self) -> float:
        """Largest h the stage cap allows."""
        return stability_bound(MAX_STAGES) / (SAFETY * self.lam) if self.lam else math.inf


def _land(stepper: RKCStepper, W0: float, h: float, W1: float, level: float, rtol: float,
          max_tries: int = 12) -> tuple[float, float]:
    """Step back and retake the step so that level (1 - rtol) <= W < level (see module doc).
    The bracket [0, h] has W0 >= level > W1; regula falsi on log W with the Illinois rule.
    Returns (h, W) of the try left in the fix (to be accepted)."""
    aim = math.log(level * (1 - rtol / 2))
    lo, hi = (0.0, math.log(W0)), (h, math.log(W1))
    side = 0
    hn, Wn = h, W1
    for _ in range(max_tries):
        if level * (1 - rtol) <= Wn < level:
            return hn, Wn
        hn = lo[0] + (hi[0] - lo[0]) * (lo[1] - aim) / (lo[1] - hi[1])
        stepper.restore()
        Wn, _ = stepper.try_step(hn, "land")
        if Wn < level:
            hi = (hn, math.log(Wn))
            if side == -1:   # Illinois: halve the stale end's weight
                lo = (lo[0], aim + (lo[1] - aim) / 2)
            side = -1
        else:
            lo = (hn, math.log(Wn))
            if side == 1:
                hi = (hi[0], aim + (hi[1] - aim) / 2)
            side = 1
    if Wn >= level:  # keep the last try below the level
        stepper.restore()
        hn = hi[0]
        Wn, _ = stepper.try_step(hn, "land")
    return hn, Wn


def run_adaptive(lmp, stepper: RKCStepper, observers, t_end: float, *, h0: float,
                 snapshot_rtol: float, probe=None, log=None, what: str = "RKC run",
                 after_fire=None) -> Run:
    """Like ``schedule.run_schedule`` for the RKC dynamics in ``lmp`` (``fix sd/rkc`` defined):
    adaptive steps from t = 0 to ``t_end`` (or ``run.stop()``), stopping exactly at the
    observers' times and, for ``FirstBelow`` observers on W, at their levels (landed within
    ``snapshot_rtol``; other halt conditions are not supported). At every stop ``run 0`` gives
    the probe values, then the observers fire; ``after_fire(run)`` returns True if an observer
    moved the atoms (the stepper then restarts from the new configuration). ``run.force_calls``:
    the stepper's count."""
    if not 0 < snapshot_rtol < 1:
        raise ValueError(f"snapshot_rtol must be in (0, 1), got {snapshot_rtol}")
    levels = [o for o in observers if isinstance(o, FirstBelow) and o.variable == "W"]
    if any(o.condition() is not None and o not in levels for o in observers):
        raise ValueError("run_adaptive supports halt conditions of FirstBelow on W only")
    run = Run(lmp, probe, log)
    stepper.reset()
    t, h, W = 0.0, h0, None

    def stop():
        with lammps_errors(f"{what} at t = {t:g}", log):
            lmp.command("run 0 post no")
        stepper.force_calls += 1
        run._update(observers, t=t)
        for o in observers:
            o.fire(run)
        if after_fire is not None and after_fire(run):
            stepper.reset()
        return run.values["W"]

    W = stop()
    run.initial = False
    while not run.stopped and t < t_end * (1 - EPS):
        t_next = min([o.next_time(t) for o in observers] + [t_end])
        level = min((o.pending[0] for o in levels if o.pending), default=None)
        crossed = False
        rejections = 0
        while t < t_next * (1 - EPS) and not crossed:
            capped = h >= stepper.max_step()
            h = min(h, stepper.max_step())
            clipped = t + h >= t_next * (1 - EPS)
            step = t_next - t if clipped else h
            stepper.t = t
            W1, err = stepper.try_step(step, "grid" if clipped else "stages" if capped else "free")
            if err > 1.0:
                stepper.restore()
                stepper.rejected += 1
                rejections += 1
                h = step * max(0.2, 0.8 * err ** (-1 / 3)) if math.isfinite(err) else step / 5
                if rejections % 3 == 0:
                    stepper.spectral_radius(5)
                if h < 1e-14 * max(t, 1.0):
                    raise LammpsFailure(f"{what}: RKC step size underflow at t = {t:g} (see {log})")
                continue
            if level is not None and W1 < level:
                step, W1 = _land(stepper, W, step, W1, level, snapshot_rtol)
                crossed = True
            stepper.accept()
            t, W = (t_next if clipped and not crossed else t + step), W1
            grow = min(5.0, 0.8 * err ** (-1 / 3)) if err > 0 else 5.0
            if rejections:
                grow = min(grow, 1.0)
            h = max(h, step * grow) if clipped or crossed else step * grow
            rejections = 0
        W = stop()
    run.force_calls = stepper.force_calls
    return run


__all__ = ["RKCStepper", "run_adaptive", "stability_bound", "stages"]
