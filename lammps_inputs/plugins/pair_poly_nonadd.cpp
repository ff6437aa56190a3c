/* pair_style poly/nonadd: see pair_poly_nonadd.h for the formulas and their sources. */
#include "pair_poly_nonadd.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "neigh_list.h"
#include "neighbor.h"
#include "utils.h"

#include <cmath>
#include <cstring>

using namespace LAMMPS_NS;

static constexpr double XC_SOFT = 1.25;
static const double TWO_16 = std::pow(2.0, 1.0 / 6.0);
static const double K_STANDIN = 18.0 * std::pow(2.0, 2.0 / 3.0);
// soft-sphere polynomial: c0 = -28 xc^-12, c2 = 48 xc^-14, c4 = -21 xc^-16
static const double C0 = -28.0 * std::pow(XC_SOFT, -12.0);
static const double C2 = 48.0 * std::pow(XC_SOFT, -14.0);
static const double C4 = -21.0 * std::pow(XC_SOFT, -16.0);

PairPolyNonadd::PairPolyNonadd(LAMMPS *lmp) :
    Pair(lmp), form(SOFT), eps_na(0.0), energy(1.0), xc(XC_SOFT), dmax_user(0.0), dmax(0.0)
{
  single_enable = 1;
  born_matrix_enable = 1;
  restartinfo = 0;
  one_coeff = 1;
  writedata = 0;
}

PairPolyNonadd::~PairPolyNonadd()
{
  if (allocated) {
    memory->destroy(setflag);
    memory->destroy(cutsq);
  }
}

void PairPolyNonadd::allocate()
{
  allocated = 1;
  int n = atom->ntypes + 1;
  memory->create(setflag, n, n, "pair:setflag");
  memory->create(cutsq, n, n, "pair:cutsq");
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) setflag[i][j] = 0;
}

// pair_style poly/nonadd FORM EPS_NA [energy E] [dmax D]
void PairPolyNonadd::settings(int narg, char **arg)
{
  if (narg < 2) error->all(FLERR, "Illegal pair_style poly/nonadd command: need FORM EPS_NA");
  if (strcmp(arg[0], "soft") == 0) { form = SOFT; xc = XC_SOFT; }
  else if (strcmp(arg[0], "wca") == 0) { form = WCA; xc = TWO_16; }
  else if (strcmp(arg[0], "harmonic") == 0) { form = HARMONIC; xc = 1.0; }
  else if (strcmp(arg[0], "standin") == 0) { form = STANDIN; xc = TWO_16; }
  else error->all(FLERR, "pair_style poly/nonadd: unknown form {} (soft, wca, harmonic, standin)", arg[0]);
  eps_na = utils::numeric(FLERR, arg[1], false, lmp);
  if (eps_na < 0.0) error->all(FLERR, "pair_style poly/nonadd: EPS_NA must be >= 0");
  for (int iarg = 2; iarg < narg; iarg += 2) {
    if (iarg + 1 >= narg) error->all(FLERR, "pair_style poly/nonadd: missing value for {}", arg[iarg]);
    if (strcmp(arg[iarg], "energy") == 0) energy = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
    else if (strcmp(arg[iarg], "dmax") == 0) dmax_user = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
    else error->all(FLERR, "pair_style poly/nonadd: unknown keyword {}", arg[iarg]);
  }
}

void PairPolyNonadd::coeff(int narg, char **arg)
{
  if (narg != 2 || strcmp(arg[0], "*") != 0 || strcmp(arg[1], "*") != 0)
    error->all(FLERR, "pair_style poly/nonadd takes only 'pair_coeff * *'");
  if (!allocated) allocate();
  for (int i = 1; i <= atom->ntypes; i++)
    for (int j = i; j <= atom->ntypes; j++) setflag[i][j] = 1;
}

void PairPolyNonadd::init_style()
{
  if (!atom->radius_flag) error->all(FLERR, "pair_style poly/nonadd needs per-atom radius (atom_style sphere)");
  double rmax = 0.0;
  for (int i = 0; i < atom->nlocal; i++) rmax = std::fmax(rmax, atom->radius[i]);
  double dall;
  double dloc = 2.0 * rmax;
  MPI_Allreduce(&dloc, &dall, 1, MPI_DOUBLE, MPI_MAX, world);
  if (dmax_user > 0.0) {
    if (dall > dmax_user * (1.0 + 1e-12))
      error->all(FLERR, "pair_style poly/nonadd: an atom has diameter {} > dmax {}", dall, dmax_user);
    dmax = dmax_user;
  } else {
    dmax = dall;
  }
  if (dmax <= 0.0) error->all(FLERR, "pair_style poly/nonadd: all diameters are zero");
  neighbor->add_request(this);
}

double PairPolyNonadd::init_one(int, int) { return xc * dmax; }

// d_ij = (d_i + d_j)/2 (1 - eps_na |d_i - d_j|), with d = 2 * radius
inline double PairPolyNonadd::pair_diameter(double ri, double rj) const
{
  return (ri + rj) * (1.0 - 2.0 * eps_na * std::fabs(ri - rj));
}

/* U(r) for r^2 = rsq and pair diameter d; fpair = -U'(r)/r.  Zero beyond xc * d. */
inline double PairPolyNonadd::radial(double rsq, double d, double &fpair) const
{
  const double dsq = d * d;
  fpair = 0.0;
  if (rsq >= xc * xc * dsq) return 0.0;
  switch (form) {
    case SOFT: {    // U = e [x^-12 + c0 + c2 x^2 + c4 x^4];  -U'/r = e/d^2 [12 x^-14 - 2 c2 - 4 c4 x^2]
      const double x2 = rsq / dsq, ix2 = 1.0 / x2, ix6 = ix2 * ix2 * ix2, ix12 = ix6 * ix6;
      fpair = energy / dsq * (12.0 * ix12 * ix2 - 2.0 * C2 - 4.0 * C4 * x2);
      return energy * (ix12 + C0 + C2 * x2 + C4 * x2 * x2);
    }
    case WCA: {    // U = 4e [s^12 - s^6] + e, s = d/r;  -U'/r = 24 e (2 s^12 - s^6) / r^2
      const double s2 = dsq / rsq, s6 = s2 * s2 * s2;
      fpair = 24.0 * energy * (2.0 * s6 * s6 - s6) / rsq;
      return 4.0 * energy * (s6 * s6 - s6) + energy;
    }
    case HARMONIC: {    // U = e/2 (1 - x)^2;  -U'/r = e (1 - x) / (d r)
      const double r = std::sqrt(rsq), y = 1.0 - r / d;
      fpair = energy * y / (d * r);
      return 0.5 * energy * y * y;
    }
    default: {    // STANDIN: U = K e (x - 2^(1/6))^2;  -U'/r = -2 K e (x - 2^(1/6)) / (d r)
      const double r = std::sqrt(rsq), y = r / d - TWO_16;
      fpair = -2.0 * K_STANDIN * energy * y / (d * r);
      return K_STANDIN * energy * y * y;
    }
  }
}

/* U'(r) and U''(r) (for born_matrix); returns U. */
double PairPolyNonadd::radial_d2(double r, double d, double &du, double &d2u) const
{
  du = d2u = 0.0;
  const double x = r / d;
  if (x >= xc) return 0.0;
  double fpair;
  const double u = radial(r * r, d, fpair);
  du = -fpair * r;
  switch (form) {
    case SOFT: d2u = energy / (d * d) * (156.0 * std::pow(x, -14.0) + 2.0 * C2 + 12.0 * C4 * x * x); break;
    case WCA: d2u = 4.0 * energy / (d * d) * (156.0 * std::pow(x, -14.0) - 42.0 * std::pow(x, -8.0)); break;
    case HARMONIC: d2u = energy / (d * d); break;
    default: d2u = 2.0 * K_STANDIN * energy / (d * d);
  }
  return u;
}

void PairPolyNonadd::compute(int eflag, int vflag)
{
  ev_init(eflag, vflag);
  double **x = atom->x, **f = atom->f, *radius = atom->radius;
  const int nlocal = atom->nlocal;
  const int newton_pair = force->newton_pair;
  const double *special_lj = force->special_lj;
  const int inum = list->inum;
  const int *ilist = list->ilist, *numneigh = list->numneigh;
  int **firstneigh = list->firstneigh;

  for (int ii = 0; ii < inum; ii++) {
    const int i = ilist[ii];
    const double xi = x[i][0], yi = x[i][1], zi = x[i][2], ri = radius[i];
    const int *jlist = firstneigh[i];
    for (int jj = 0; jj < numneigh[i]; jj++) {
      int j = jlist[jj];
      const double factor_lj = special_lj[sbmask(j)];
      j &= NEIGHMASK;
      const double delx = xi - x[j][0], dely = yi - x[j][1], delz = zi - x[j][2];
      const double rsq = delx * delx + dely * dely + delz * delz;
      double fpair;
      const double u = radial(rsq, pair_diameter(ri, radius[j]), fpair);
      if (fpair == 0.0 && u == 0.0) continue;
      fpair *= factor_lj;
      f[i][0] += delx * fpair;
      f[i][1] += dely * fpair;
      f[i][2] += delz * fpair;
      if (newton_pair || j < nlocal) {
        f[j][0] -= delx * fpair;
        f[j][1] -= dely * fpair;
        f[j][2] -= delz * fpair;
      }
      if (evflag) ev_tally(i, j, nlocal, newton_pair, factor_lj * u, 0.0, fpair, delx, dely, delz);
    }
  }
  if (vflag_fdotr) virial_fdotr_compute();
}

double PairPolyNonadd::single(int i, int j, int, int, double rsq, double, double factor_lj,
                              double &fforce)
{
  const double u = radial(rsq, pair_diameter(atom->radius[i], atom->radius[j]), fforce);
  fforce *= factor_lj;
  return factor_lj * u;
}

void PairPolyNonadd::born_matrix(int i, int j, int, int, double rsq, double, double factor_lj,
                                 double &dupair, double &du2pair)
{
  radial_d2(std::sqrt(rsq), pair_diameter(atom->radius[i], atom->radius[j]), dupair, du2pair);
  dupair *= factor_lj;
  du2pair *= factor_lj;
}
