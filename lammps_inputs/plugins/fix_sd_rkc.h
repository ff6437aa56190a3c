/* fix sd/rkc: steepest-descent dynamics zeta dr/dt = F by the second-order Runge-Kutta-Chebyshev
   method (RKC; Sommeijer, Shampine, Verwer, J. Comput. Appl. Math. 88, 315 (1997), Eqs. 2.6-2.9,
   damping eps = 2/13), one LAMMPS time step per stage, so neighbour lists, MPI exchange and
   every force-adding fix work as in any run.  A step of size h with s stages is stable for
   h lambda_max <= beta(s) ~ 0.65 s^2 (lambda_max: largest Hessian eigenvalue / zeta), i.e. s force
   calls buy an s^2-times larger step than explicit Euler (stable for h lambda_max <= 2).

   fix ID group sd/rkc ZETA SEED
   Must be the last fix that adds forces (it reads f in setup/initial_integrate/post_force).
   It does nothing until told by fix_modify; the step control lives in the driver
   (glasstools.lammps.rkc), which calls, between runs:
     fix_modify ID reset        next run's set-up takes the current x, f as the state y_n, F_n
     fix_modify ID step H S     next `run S+1 pre no post no`: stages 1..S give y_{n+1} = Y_S, then
                                one probe step moves to y_{n+1} + est (est = RKC local error
                                estimate, Eq. 2.10) so that W there is known
     fix_modify ID accept       x = y_{n+1}, f = F(y_{n+1}); it becomes the new y_n
     fix_modify ID restore      x = y_n, f = F_n (after a rejected step or a power iteration)
     fix_modify ID power K      next `run K pre no post no`: K power iterations
                                v <- -(F(y_n + delta v) - F_n)/delta, |v| -> lambda_max (zeta = 1
                                units; start vector seeded from SEED and the atom IDs)
   Positions are combined as unwrapped coordinates (image flags), so wrapping at re-neighbouring
   does not matter.  Output: global vector [W(y_{n+1}), W(y_{n+1} + est), lambda_max estimate],
   W = (1/N) sum_i |f_i|^2. */
#ifndef LMP_FIX_SD_RKC_H
#define LMP_FIX_SD_RKC_H

#include "fix.h"

#include <vector>

namespace LAMMPS_NS {

class FixSDRKC : public Fix {
 public:
  FixSDRKC(class LAMMPS *, int, char **);
  ~FixSDRKC() override;
  int setmask() override;
  void setup(int) override;
  void initial_integrate(int) override;
  void post_force(int) override;
  int modify_param(int, char **) override;
  double compute_vector(int) override;
  void grow_arrays(int) override;
  void copy_arrays(int, int, int) override;
  int pack_exchange(int, double *) override;
  int unpack_exchange(int, double *) override;
  double memory_usage() override;

 private:
  enum { IDLE, STEP, POWER };
  double zeta, h, W1, W2, lambda, delta;
  int mode, nstage, stage, capture, seed;
  double **st;                            // per atom: y0 f0 ym1 ym2 y1 f1 v (3 each)
  std::vector<double> mu, nu, mut, gamt;  // stage coefficients of the current step

  void coefficients(int);
  void put_x(int, const double *);
  double sum_f2(double **);
  void seed_vector();
};

}    // namespace LAMMPS_NS

#endif
