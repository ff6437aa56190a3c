"""beta(T) of every system (P0 Fig. 2): <|v|>(t) ~ t^-beta on each system's fit.beta_window
(default fit.t_window), bootstrap errors over samples, local exponents on one-decade sub-windows;
one table and one figure (a panel per dimension) (thin: I/O around glasstools.analysis.relaxation)."""
import pandas as pd

from glasstools.analysis.relaxation import BETA_HIGH_T_P0, beta_harmonic, fit_beta_bootstrap
from glasstools.io import read_table, write_table
from glasstools.plots.relaxation import plot_beta_vs_T
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
rows, windows = [], []
paths = iter(sm.input)
for name, s in sm.params.systems.items():
    traj = pd.concat([read_table(next(paths))[0].assign(sample=k) for k in range(s["samples"])],
                     ignore_index=True)
    window = tuple(s["fit"].get("beta_window") or s["fit"]["t_window"])
    fit = fit_beta_bootstrap(traj, window, per_decade=sm.params.per_decade, seed=sm.params.seed)
    key = {"system": name, "model": s["model"], "dim": s["dim"], "N": s["N"], "T": s["T"],
           "label": s.get("label", "")}
    rows.append({**key, **{k: fit[k] for k in ("beta", "beta_err", "beta_fit_err", "beta_window_spread",
                                               "n_samples", "n_points", "t_lo", "t_hi")},
                 "beta_harm": beta_harmonic(s["dim"]), "beta_high_T_P0": BETA_HIGH_T_P0[s["dim"]]})
    windows.append(fit["windows"].assign(**key))
table = pd.DataFrame(rows).sort_values(["dim", "model", "N", "label", "T"], ignore_index=True)
meta = {"definition": "<|v|>(t) = mean over samples of |v| = sqrt(W)/zeta (P0 Sec. III); beta = -slope of "
                      "log10 <|v|> vs log10 t on [t_lo, t_hi] (log grid, per_decade points per decade)",
        "errors": "beta_err: std over bootstrap resamplings of samples (NaN with one sample); beta_fit_err: "
                  "regression standard error; beta_window_spread: half the range of the local betas on "
                  "one-decade sub-windows (sliding by half a decade)",
        "lines": "beta_harm = D/4 + 1/2 (P0 App. B); beta_high_T_P0: 0.92 (2D), 0.85 (3D) (P0 Fig. 2)",
        "config_seed": sm.params.seed, "per_decade": sm.params.per_decade,
        "reference": "Nishikawa et al. PRX 2022 (P0) Fig. 2, App. B", "units": "T in epsilon/k_B; t in zeta sigma^2/epsilon"}
write_table(table, sm.output.table, meta)
write_table(pd.concat(windows, ignore_index=True), sm.output.windows, meta)
plot_beta_vs_T(table, sm.output.fig)
