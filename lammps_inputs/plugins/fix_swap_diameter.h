/* fix swap/diameter: Metropolis swap Monte Carlo of per-atom diameters (atom_style sphere).

   fix ID group swap/diameter N M T SEED [delta DELTA]
   Every N steps, M attempts.  An attempt picks two distinct atoms i, j of the group uniformly
   (same random stream on every rank), rejects at once if |d_i - d_j| >= DELTA (default: no
   restriction), else exchanges their diameters with probability min(1, exp(-dE/T)), where
     dE = sum_k [U_ik(new) - U_ik(old)] + sum_{k != i} [U_jk(new) - U_jk(old)]
   runs over the full neighbour lists of i and j only (O(neighbours)), with U from the current
   pair style's single() (any pair style that reads atom->radius).  Periodic self-images count
   1/2.  This is the swap move of P0 (Nishikawa et al. PRX 2022) and the hybrid swap of P2
   (Scalliet et al. 2019), after Ninarello, Berthier, Coslovich, PRX 7, 021039 (2017).
   Masses are not exchanged.

   MPI: exact on any number of ranks.  Diameters are replicated by atom ID on every rank at the
   start of each invocation; the owners of i and j add their local dE parts, one MPI_Allreduce
   gives dE to everyone, every rank makes the same decision and updates all its copies (owned
   and ghost, via atom->sametag) of i and j.  Needs `atom_modify map array|hash` and
   consecutive atom IDs.  After accepted swaps the pair forces (and energy/virial) are
   recomputed, so MD can follow directly (hybrid swap).
   Output: global vector (cumulative) [attempts, accepted, attempts passing the DELTA test]. */
#ifndef LMP_FIX_SWAP_DIAMETER_H
#define LMP_FIX_SWAP_DIAMETER_H

#include "fix.h"

#include <random>
#include <vector>

namespace LAMMPS_NS {

class FixSwapDiameter : public Fix {
 public:
  FixSwapDiameter(class LAMMPS *, int, char **);
  int setmask() override;
  void init() override;
  void init_list(int, class NeighList *) override;
  void end_of_step() override;
  double compute_vector(int) override;

 private:
  int nattempt;
  double temperature, delta;
  std::mt19937_64 rng;
  double count_attempt, count_accept, count_eligible;
  class NeighList *list;
  std::vector<double> diam;    // diameter by atom ID (replicated)
  std::vector<tagint> pool;    // IDs of group atoms

  void gather();
  void set_diameter(tagint, double);
  double local_energy(tagint, tagint);
  double atom_energy(int, tagint);
  void recompute_forces();
};

}    // namespace LAMMPS_NS

#endif
