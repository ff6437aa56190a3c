/* Registration of the glasstools LAMMPS plugin: pair poly/nonadd, fix swap/diameter and fix sd/rkc.
   Load with `plugin load <path>/glasstools_plugin.so` (see glasstools/lammps/plugins.py). */
#include "lammpsplugin.h"

#include "fix_sd_rkc.h"
#include "fix_swap_diameter.h"
#include "lammps.h"
#include "pair_poly_nonadd.h"

using namespace LAMMPS_NS;

#ifndef GLASSTOOLS_LAMMPS_VERSION
#error "compile with -DGLASSTOOLS_LAMMPS_VERSION=\"<LAMMPS version string>\" (glasstools.lammps.plugins.build)"
#endif

static Pair *pair_creator(LAMMPS *lmp) { return new PairPolyNonadd(lmp); }
static Fix *fix_creator(LAMMPS *lmp, int argc, char **argv) { return new FixSwapDiameter(lmp, argc, argv); }
static Fix *rkc_creator(LAMMPS *lmp, int argc, char **argv) { return new FixSDRKC(lmp, argc, argv); }

extern "C" void lammpsplugin_init(void *lmp, void *handle, void *regfunc)
{
  auto reg = (lammpsplugin_regfunc) regfunc;
  lammpsplugin_t plugin;
  plugin.version = GLASSTOOLS_LAMMPS_VERSION;    // LAMMPS warns when it differs from its own
  plugin.author = "glasstools";
  plugin.handle = handle;

  plugin.style = "pair";
  plugin.name = "poly/nonadd";
  plugin.info = "polydisperse non-additive soft/WCA/harmonic/stand-in pair style";
  plugin.creator.v1 = (lammpsplugin_factory1 *) &pair_creator;
  (*reg)(&plugin, lmp);

  plugin.style = "fix";
  plugin.name = "swap/diameter";
  plugin.info = "Metropolis swap Monte Carlo of per-atom diameters";
  plugin.creator.v2 = (lammpsplugin_factory2 *) &fix_creator;
  (*reg)(&plugin, lmp);

  plugin.name = "sd/rkc";
  plugin.info = "steepest-descent dynamics by Runge-Kutta-Chebyshev stages (driver: glasstools.lammps.rkc)";
  plugin.creator.v2 = (lammpsplugin_factory2 *) &rkc_creator;
  (*reg)(&plugin, lmp);
}
