/* fix sd/rkc: see fix_sd_rkc.h for the method, the commands and the driver protocol. */
#include "fix_sd_rkc.h"

#include "atom.h"
#include "domain.h"
#include "error.h"
#include "memory.h"
#include "update.h"
#include "utils.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace LAMMPS_NS;
using namespace FixConst;

static constexpr int NCOL = 21;
enum { Y0 = 0, F0 = 3, YM1 = 6, YM2 = 9, Y1 = 12, F1 = 15, V = 18 };

FixSDRKC::FixSDRKC(LAMMPS *lmp, int narg, char **arg) :
    Fix(lmp, narg, arg), h(0.0), W1(0.0), W2(0.0), lambda(0.0), mode(IDLE), nstage(0), stage(0),
    capture(1), st(nullptr)
{
  if (narg != 5) error->all(FLERR, "Illegal fix sd/rkc command: fix ID group sd/rkc ZETA SEED");
  zeta = utils::numeric(FLERR, arg[3], false, lmp);
  seed = utils::inumeric(FLERR, arg[4], false, lmp);
  if (zeta <= 0.0 || seed <= 0) error->all(FLERR, "fix sd/rkc: need ZETA > 0 and SEED > 0");
  if (igroup != 0) error->all(FLERR, "fix sd/rkc must act on group all");
  time_integrate = 1;
  vector_flag = 1;
  size_vector = 3;
  global_freq = 1;
  extvector = 0;
  delta = 1.0e-6 * std::sqrt((double) atom->natoms);
  FixSDRKC::grow_arrays(atom->nmax);
  atom->add_callback(Atom::GROW);
  seed_vector();
}

FixSDRKC::~FixSDRKC()
{
  atom->delete_callback(id, Atom::GROW);
  memory->destroy(st);
}

int FixSDRKC::setmask() { return INITIAL_INTEGRATE | POST_FORCE; }

// start vector of the power iteration: N(0,1) per component from (SEED, atom ID): any rank count
void FixSDRKC::seed_vector()
{
  for (int i = 0; i < atom->nlocal; i++) {
    std::mt19937_64 g(static_cast<std::uint64_t>(seed) * 1000003ULL + atom->tag[i]);
    std::normal_distribution<double> n(0.0, 1.0);
    for (int k = 0; k < 3; k++) st[i][V + k] = n(g);
  }
}

// x_i = unwrapped position y mapped back with atom i's current image flags
void FixSDRKC::put_x(int i, const double *y)
{
  double **x = atom->x;
  for (int k = 0; k < 3; k++) x[i][k] = y[k];
  domain->unmap_inv(x[i], atom->image[i]);
}

double FixSDRKC::sum_f2(double **f)
{
  double loc = 0.0, all = 0.0;
  for (int i = 0; i < atom->nlocal; i++) loc += f[i][0] * f[i][0] + f[i][1] * f[i][1] + f[i][2] * f[i][2];
  MPI_Allreduce(&loc, &all, 1, MPI_DOUBLE, MPI_SUM, world);
  return all / (double) atom->natoms;
}

// RKC coefficients (Sommeijer et al. 1997, Eq. 2.7-2.9) for s stages, damping eps = 2/13
void FixSDRKC::coefficients(int s)
{
  const double w0 = 1.0 + (2.0 / 13.0) / (double(s) * s);
  std::vector<double> T(s + 1), dT(s + 1), ddT(s + 1), b(s + 1), a(s + 1);
  T[0] = 1.0; dT[0] = 0.0; ddT[0] = 0.0;
  T[1] = w0; dT[1] = 1.0; ddT[1] = 0.0;
  for (int j = 2; j <= s; j++) {
    T[j] = 2.0 * w0 * T[j - 1] - T[j - 2];
    dT[j] = 2.0 * T[j - 1] + 2.0 * w0 * dT[j - 1] - dT[j - 2];
    ddT[j] = 4.0 * dT[j - 1] + 2.0 * w0 * ddT[j - 1] - ddT[j - 2];
  }
  const double w1 = dT[s] / ddT[s];
  for (int j = 2; j <= s; j++) b[j] = ddT[j] / (dT[j] * dT[j]);
  b[0] = b[1] = b[2];
  for (int j = 0; j <= s; j++) a[j] = 1.0 - b[j] * T[j];
  mu.assign(s + 1, 0.0); nu.assign(s + 1, 0.0); mut.assign(s + 1, 0.0); gamt.assign(s + 1, 0.0);
  mut[1] = b[1] * w1;
  for (int j = 2; j <= s; j++) {
    mu[j] = 2.0 * b[j] * w0 / b[j - 1];
    nu[j] = -b[j] / b[j - 2];
    mut[j] = 2.0 * b[j] * w1 / b[j - 1];
    gamt[j] = -a[j - 1] * mut[j];
  }
}

void FixSDRKC::setup(int)
{
  if (!capture) return;
  double **x = atom->x, **f = atom->f;
  for (int i = 0; i < atom->nlocal; i++) {
    domain->unmap(x[i], atom->image[i], &st[i][Y0]);
    for (int k = 0; k < 3; k++) st[i][F0 + k] = f[i][k];
  }
  capture = 0;
}

void FixSDRKC::initial_integrate(int)
{
  const int nlocal = atom->nlocal;
  double **f = atom->f;
  double y[3];
  if (mode == POWER) {
    double loc = 0.0, all = 0.0;
    for (int i = 0; i < nlocal; i++)
      for (int k = 0; k < 3; k++) loc += st[i][V + k] * st[i][V + k];
    MPI_Allreduce(&loc, &all, 1, MPI_DOUBLE, MPI_SUM, world);
    const double c = delta / std::sqrt(all);
    for (int i = 0; i < nlocal; i++) {
      for (int k = 0; k < 3; k++) y[k] = st[i][Y0 + k] + c * st[i][V + k];
      put_x(i, y);
    }
    return;
  }
  if (mode != STEP) return;
  stage++;
  const double hz = h / zeta;
  if (stage == 1) {
    for (int i = 0; i < nlocal; i++) {
      double *a = st[i];
      for (int k = 0; k < 3; k++) {
        a[YM2 + k] = a[Y0 + k];
        a[YM1 + k] = a[Y0 + k] + mut[1] * hz * a[F0 + k];
      }
      put_x(i, &a[YM1]);
    }
  } else if (stage <= nstage) {
    const int j = stage;
    const double c0 = 1.0 - mu[j] - nu[j];
    for (int i = 0; i < nlocal; i++) {
      double *a = st[i];
      for (int k = 0; k < 3; k++) {
        y[k] = c0 * a[Y0 + k] + mu[j] * a[YM1 + k] + nu[j] * a[YM2 + k] + mut[j] * hz * f[i][k] +
            gamt[j] * hz * a[F0 + k];
        a[YM2 + k] = a[YM1 + k];
        a[YM1 + k] = y[k];
      }
      put_x(i, y);
    }
  } else if (stage == nstage + 1) {    // probe: y_{n+1} + est, est = [12(y_n - y_{n+1}) + 6h(F_n + F_{n+1})]/15
    W1 = sum_f2(f);
    for (int i = 0; i < nlocal; i++) {
      double *a = st[i];
      for (int k = 0; k < 3; k++) {
        a[Y1 + k] = a[YM1 + k];
        a[F1 + k] = f[i][k];
        y[k] = a[Y1 + k] + (12.0 * (a[Y0 + k] - a[Y1 + k]) + 6.0 * hz * (a[F0 + k] + f[i][k])) / 15.0;
      }
      put_x(i, y);
    }
  } else
    error->all(FLERR, "fix sd/rkc: run longer than S+1 steps after fix_modify step");
}

void FixSDRKC::post_force(int)
{
  double **f = atom->f;
  const int nlocal = atom->nlocal;
  if (mode == STEP && stage == nstage + 1) {
    W2 = sum_f2(f);
  } else if (mode == POWER) {    // v <- -(F(y + delta v^) - F_n) / delta; lambda = |v|
    double loc = 0.0, all = 0.0;
    for (int i = 0; i < nlocal; i++)
      for (int k = 0; k < 3; k++) {
        st[i][V + k] = -(f[i][k] - st[i][F0 + k]) / delta;
        loc += st[i][V + k] * st[i][V + k];
      }
    MPI_Allreduce(&loc, &all, 1, MPI_DOUBLE, MPI_SUM, world);
    lambda = std::sqrt(all) / zeta;
  }
}

int FixSDRKC::modify_param(int narg, char **arg)
{
  double **f = atom->f;
  const int nlocal = atom->nlocal;
  if (strcmp(arg[0], "reset") == 0) {
    capture = 1;
    mode = IDLE;
    return 1;
  }
  if (strcmp(arg[0], "step") == 0) {
    if (narg < 3) error->all(FLERR, "fix_modify sd/rkc step H S");
    h = utils::numeric(FLERR, arg[1], false, lmp);
    nstage = utils::inumeric(FLERR, arg[2], false, lmp);
    if (h <= 0.0 || nstage < 2) error->all(FLERR, "fix_modify sd/rkc step: need H > 0 and S >= 2");
    coefficients(nstage);
    mode = STEP;
    stage = 0;
    return 3;
  }
  if (strcmp(arg[0], "power") == 0) {
    mode = POWER;
    return 1;
  }
  if (strcmp(arg[0], "accept") == 0 || strcmp(arg[0], "restore") == 0) {
    const bool acc = arg[0][0] == 'a';
    if (acc && !(mode == STEP && stage == nstage + 1))
      error->all(FLERR, "fix_modify sd/rkc accept: no completed step to accept");
    for (int i = 0; i < nlocal; i++) {
      double *a = st[i];
      if (acc)
        for (int k = 0; k < 3; k++) {
          a[Y0 + k] = a[Y1 + k];
          a[F0 + k] = a[F1 + k];
        }
      put_x(i, &a[Y0]);
      for (int k = 0; k < 3; k++) f[i][k] = a[F0 + k];
    }
    mode = IDLE;
    return 1;
  }
  return 0;
}

double FixSDRKC::compute_vector(int n)
{
  if (n == 0) return W1;
  if (n == 1) return W2;
  return lambda;
}

void FixSDRKC::grow_arrays(int nmax) { memory->grow(st, nmax, NCOL, "sd/rkc:st"); }

void FixSDRKC::copy_arrays(int i, int j, int)
{
  for (int k = 0; k < NCOL; k++) st[j][k] = st[i][k];
}

int FixSDRKC::pack_exchange(int i, double *buf)
{
  for (int k = 0; k < NCOL; k++) buf[k] = st[i][k];
  return NCOL;
}

int FixSDRKC::unpack_exchange(int nlocal, double *buf)
{
  for (int k = 0; k < NCOL; k++) st[nlocal][k] = buf[k];
  return NCOL;
}

double FixSDRKC::memory_usage() { return (double) atom->nmax * NCOL * sizeof(double); }
