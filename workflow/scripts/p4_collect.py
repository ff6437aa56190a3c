"""One P4 model: state points versus parent temperature T_p (tau_alpha, D, G, kappa, their
changes relative to the highest T_p, reduced units), and the mesoelastic fit of P4 Eq. (3)
(thin: concatenation + glasstools.analysis.mesoelastic)."""
import math

import pandas as pd

from glasstools.analysis.mesoelastic import fit_mesoelastic, length_unit, time_unit
from glasstools.io import read_table, write_table
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
m = sm.params.m
tabs = [read_table(p) for p in sm.input.states]
df = pd.concat([t for t, _ in tabs], ignore_index=True).sort_values("T", ascending=False, kind="stable")
rho = m["density"]
a0 = length_unit(rho)
df["a0"], df["t0"] = a0, time_unit(rho, df["T"].to_numpy())
hot = df.iloc[0]
# P4 Figs. 3, 4(a3-d3): kappa(T_p)/kappa(T_p,max) and G(T_p)/G(T_p,max)
df["kappa_rel"], df["G_rel"] = df["kappa"] / hot["kappa"], df["G"] / hot["G"]
df["kappa_rel_err"] = df["kappa_rel"] * ((df["kappa_err"] / df["kappa"]) ** 2
                                         + (hot["kappa_err"] / hot["kappa"]) ** 2) ** 0.5
df["G_rel_err"] = df["G_rel"] * ((df["G_err"] / df["G"]) ** 2 + (hot["G_err"] / hot["G"]) ** 2) ** 0.5
df["kappa_over_T"] = df["kappa"] / df["T"]
if "tau_alpha" in df:
    df["tau_over_t0"] = df["tau_alpha"] / df["t0"]
    df["D_reduced"] = df["D"] * df["t0"] / a0**2          # P4 Fig. 9b: D t_0 / a_0^2
meta = {**tabs[0][1], "T_p": df["T"].tolist(),
        "relative": "X(T_p)/X(T_p,max), T_p,max = the highest parent temperature (P4 Figs. 3, 4 a3-d3)",
        "errors": "kappa, G: standard error over the IS ensemble; relative: propagated",
        "reduced": "a_0 = rho^(-1/3), t_0 = a_0/sqrt(T) (P4 Sec. II B)"}
meta.pop("T", None)
write_table(df.reset_index(drop=True), sm.output.summary, meta)
me = m["mesoelastic"]
fit_meta = {**meta, "mesoelastic": dict(me), "seed": int(sm.params.seed),
            "equation": "ln(tau_alpha/t_0) = (ell a_0)^2 kappa(T)/T + ln t_tilde (P4 Eq. 3, natural log), "
                        "tau_alpha at F_s(q_max) = 0.2; errors: seeded bootstrap over state points with "
                        "Gaussian kappa errors (std and 90 % interval)"}
try:
    if "tau_alpha" not in df:
        raise ValueError("no dynamics (dynamics: false)")
    fit = fit_mesoelastic(df["kappa"], df["T"], df["tau_alpha"], rho, min_tau_ratio=me["min_tau_ratio"],
                          ell=me.get("ell"), kappa_err=df["kappa_err"].fillna(0.0), n_boot=me["n_boot"],
                          seed=int(sm.params.seed))
    row, fit_meta["status"] = fit.row(), "ok"
except ValueError as exc:
    row, fit_meta["status"] = {"ell": math.nan, "t_tilde": math.nan, "n_points": 0}, f"not fitted: {exc}"
print(fit_meta["status"], row)
write_table(pd.DataFrame([row]), sm.output.mesoelastic, fit_meta)
