/* pair_style poly/nonadd: continuous polydisperse, non-additive pair potentials.

   Per-atom diameters come from atom_style sphere (d_i = 2 * radius_i).  Pair diameter
   (Ninarello, Berthier, Coslovich, PRX 7, 021039 (2017); used in P0 and P2):
       d_ij = 0.5 (d_i + d_j) (1 - eps_na |d_i - d_j|).
   With x = r / d_ij the radial forms are (e = energy scale, default 1):
     soft      (P0, Nishikawa et al. PRX 2022):  U = e [x^-12 + c0 + c2 x^2 + c4 x^4], x < xc = 1.25,
               c0 = -28 xc^-12, c2 = 48 xc^-14, c4 = -21 xc^-16   (U, U', U'' vanish at xc)
     wca       (P2, Scalliet et al. Nat. Commun. 2019):  U = 4e [x^-12 - x^-6] + e, x < 2^(1/6)
     harmonic  (P0):  U = (e/2) (1 - x)^2, x < 1
     standin   (P2 NEB pre-relaxation):  U = 18 2^(2/3) e (x - 2^(1/6))^2, x < 2^(1/6)
   Syntax:  pair_style poly/nonadd FORM EPS_NA [energy E] [dmax D]
            pair_coeff * *
   Global cutoff = xc(form) * dmax, dmax = largest diameter at `run`/`minimize` setup (or the
   `dmax` keyword, which must be >= every diameter); valid because d_ij <= max(d_i, d_j) for
   eps_na >= 0.  The per-pair cutoff xc * d_ij is applied inside compute(). */
#ifndef LMP_PAIR_POLY_NONADD_H
#define LMP_PAIR_POLY_NONADD_H

#include "pair.h"

namespace LAMMPS_NS {

class PairPolyNonadd : public Pair {
 public:
  enum Form { SOFT, WCA, HARMONIC, STANDIN };

  PairPolyNonadd(class LAMMPS *);
  ~PairPolyNonadd() override;
  void compute(int, int) override;
  void settings(int, char **) override;
  void coeff(int, char **) override;
  void init_style() override;
  double init_one(int, int) override;
  double single(int, int, int, int, double, double, double, double &) override;
  void born_matrix(int, int, int, int, double, double, double, double &, double &) override;

 protected:
  int form;
  double eps_na;       // non-additivity epsilon
  double energy;       // energy scale v0 / epsilon
  double xc;           // cutoff in units of d_ij
  double dmax_user;    // dmax keyword (0 = from the atoms)
  double dmax;         // diameter used for the global cutoff

  void allocate();
  double pair_diameter(double ri, double rj) const;
  double radial(double rsq, double d, double &fpair) const;
  double radial_d2(double r, double d, double &du, double &d2u) const;
};

}    // namespace LAMMPS_NS

#endif
