/* fix swap/diameter: see fix_swap_diameter.h for the move, the energy difference and MPI. */
#include "fix_swap_diameter.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "force.h"
#include "modify.h"
#include "neigh_list.h"
#include "neighbor.h"
#include "pair.h"
#include "update.h"
#include "utils.h"

#include <cmath>
#include <cstring>

using namespace LAMMPS_NS;
using namespace FixConst;

FixSwapDiameter::FixSwapDiameter(LAMMPS *lmp, int narg, char **arg) :
    Fix(lmp, narg, arg), delta(INFINITY), count_attempt(0), count_accept(0), count_eligible(0),
    list(nullptr)
{
  if (narg < 7) error->all(FLERR, "Illegal fix swap/diameter command: fix ID group swap/diameter N M T SEED [delta D]");
  nevery = utils::inumeric(FLERR, arg[3], false, lmp);
  nattempt = utils::inumeric(FLERR, arg[4], false, lmp);
  temperature = utils::numeric(FLERR, arg[5], false, lmp);
  const long seed = utils::bnumeric(FLERR, arg[6], false, lmp);
  if (nevery <= 0 || nattempt < 0 || temperature <= 0.0 || seed <= 0)
    error->all(FLERR, "fix swap/diameter: need N > 0, M >= 0, T > 0, SEED > 0");
  for (int iarg = 7; iarg < narg; iarg += 2) {
    if (strcmp(arg[iarg], "delta") == 0 && iarg + 1 < narg)
      delta = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
    else error->all(FLERR, "fix swap/diameter: unknown keyword {}", arg[iarg]);
  }
  rng.seed(static_cast<std::uint64_t>(seed));    // same stream on all ranks
  vector_flag = 1;
  size_vector = 3;
  global_freq = 1;
  extvector = 0;
}

int FixSwapDiameter::setmask() { return END_OF_STEP; }

void FixSwapDiameter::init()
{
  if (!atom->radius_flag) error->all(FLERR, "fix swap/diameter needs per-atom radius (atom_style sphere)");
  if (atom->map_style == Atom::MAP_NONE) error->all(FLERR, "fix swap/diameter needs atom_modify map array");
  if (!atom->tag_enable || !atom->tag_consecutive()) error->all(FLERR, "fix swap/diameter needs consecutive atom IDs");
  if (!force->pair || !force->pair->single_enable)
    error->all(FLERR, "fix swap/diameter needs a pair style with single()");
  if (force->kspace || atom->molecular != Atom::ATOMIC || force->bond)
    error->all(FLERR, "fix swap/diameter supports pair-only atomic systems");
  neighbor->add_request(this, NeighConst::REQ_FULL);
}

void FixSwapDiameter::init_list(int, NeighList *ptr) { list = ptr; }

// replicate diameters and group membership by atom ID on all ranks
void FixSwapDiameter::gather()
{
  const bigint n = atom->natoms;
  std::vector<double> loc(2 * (n + 1), 0.0);
  diam.assign(2 * (n + 1), 0.0);
  for (int i = 0; i < atom->nlocal; i++) {
    loc[atom->tag[i]] = 2.0 * atom->radius[i];
    loc[n + 1 + atom->tag[i]] = (atom->mask[i] & groupbit) ? 1.0 : 0.0;
  }
  MPI_Allreduce(loc.data(), diam.data(), 2 * (n + 1), MPI_DOUBLE, MPI_SUM, world);
  pool.clear();
  for (tagint t = 1; t <= n; t++)
    if (diam[n + 1 + t] > 0.5) pool.push_back(t);
  diam.resize(n + 1);
}

// set the diameter of every local copy (owned and ghost images) of atom `tag`
void FixSwapDiameter::set_diameter(tagint tag, double d)
{
  for (int m = atom->map(tag); m >= 0; m = atom->sametag[m]) atom->radius[m] = 0.5 * d;
}

// sum_k w U_ik over the full neighbour list of local atom i, skipping atoms with ID `skip`;
// w = 1/2 for periodic images of i itself (each self pair appears twice in the list)
double FixSwapDiameter::atom_energy(int i, tagint skip)
{
  double **x = atom->x;
  const tagint *tag = atom->tag;
  const int *type = atom->type;
  double **cutsq = force->pair->cutsq;
  const int *jlist = list->firstneigh[i];
  double e = 0.0, fforce;
  for (int jj = 0; jj < list->numneigh[i]; jj++) {
    const int k = jlist[jj] & NEIGHMASK;
    if (tag[k] == skip) continue;
    const double dx = x[i][0] - x[k][0], dy = x[i][1] - x[k][1], dz = x[i][2] - x[k][2];
    const double rsq = dx * dx + dy * dy + dz * dz;
    if (rsq >= cutsq[type[i]][type[k]]) continue;
    const double w = (tag[k] == tag[i]) ? 0.5 : 1.0;
    e += w * force->pair->single(i, k, type[i], type[k], rsq, 1.0, 1.0, fforce);
  }
  return e;
}

// this rank's part of the energy of all pairs involving atoms ti or tj
double FixSwapDiameter::local_energy(tagint ti, tagint tj)
{
  double e = 0.0;
  const int i = atom->map(ti), j = atom->map(tj);
  if (i >= 0 && i < atom->nlocal) e += atom_energy(i, -1);
  if (j >= 0 && j < atom->nlocal) e += atom_energy(j, ti);    // i-j pairs counted with i
  return e;
}

void FixSwapDiameter::end_of_step()
{
  gather();
  const bigint npool = pool.size();
  if (npool < 2) return;
  std::uniform_int_distribution<bigint> pick_i(0, npool - 1), pick_j(0, npool - 2);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  bool changed = false;
  for (int a = 0; a < nattempt; a++) {
    const bigint a_i = pick_i(rng);
    bigint a_j = pick_j(rng);
    if (a_j >= a_i) a_j++;
    const tagint ti = pool[a_i], tj = pool[a_j];
    const double di = diam[ti], dj = diam[tj];
    const double u = uniform(rng);    // always drawn: identical streams on all ranks
    count_attempt += 1;
    if (std::fabs(di - dj) >= delta) continue;
    count_eligible += 1;
    double de = -local_energy(ti, tj);
    set_diameter(ti, dj);
    set_diameter(tj, di);
    de += local_energy(ti, tj);
    if (comm->nprocs > 1) {
      double sum;
      MPI_Allreduce(&de, &sum, 1, MPI_DOUBLE, MPI_SUM, world);
      de = sum;
    }
    if (de <= 0.0 || u < std::exp(-de / temperature)) {    // Metropolis
      diam[ti] = dj;
      diam[tj] = di;
      count_accept += 1;
      changed = true;
    } else {
      set_diameter(ti, di);
      set_diameter(tj, dj);
    }
  }
  if (changed) recompute_forces();
}

// forces (and energy/virial when this step tallies them) for the new diameters
void FixSwapDiameter::recompute_forces()
{
  const int nall = atom->nlocal + (force->newton_pair ? atom->nghost : 0);
  for (int i = 0; i < nall; i++) atom->f[i][0] = atom->f[i][1] = atom->f[i][2] = 0.0;
  const int eflag = ENERGY_GLOBAL;
  const int vflag = (update->vflag_global == update->ntimestep) ? VIRIAL_PAIR : 0;
  if (modify->n_pre_force) modify->pre_force(vflag);
  force->pair->compute(eflag, vflag);
  if (force->newton_pair) comm->reverse_comm();
  if (modify->n_post_force_any) modify->post_force(vflag);
}

double FixSwapDiameter::compute_vector(int n)
{
  if (n == 0) return count_attempt;
  if (n == 1) return count_accept;
  return count_eligible;
}
