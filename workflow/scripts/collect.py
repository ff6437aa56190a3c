"""Per-system tables: trajectories, fixed-W INM table, ensemble averages, spectra, fits."""
import numpy as np
import pandas as pd

from glasstools.analysis import relaxation as rx
from glasstools.analysis.spectra import unstable_spectrum
from glasstools.io import read_table, write_table
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s, sd = sm.params.s, sm.params.sd


def load(paths, add_sample=False):
    frames, metas = [], []
    for k, p in enumerate(paths):
        df, meta = read_table(p)
        frames.append(df.assign(sample=k) if add_sample else df)
        metas.append(meta)
    return pd.concat(frames, ignore_index=True), metas


traj, tmetas = load(sm.input.traj, add_sample=True)
summary, imetas = load(sm.input.inm)
modes, _ = load(sm.input.modes)
fixed = summary[~summary["is_inherent_structure"]].reset_index(drop=True)
meta = {key: tmetas[0][key] for key in ("model", "reference", "dt", "zeta", "W_is", "units",
                                        "versions") if key in tmetas[0]}
meta.update({"system": {k: v for k, v in s.items()}, "config_seed": sm.params.seed,
             "sample_seeds": [m["seed"] for m in tmetas], "n_samples": len(tmetas),
             "pushes": int(sum(m["pushes"] for m in tmetas)),
             "converged_to_IS": int(sum(m["converged"] for m in tmetas))})

t_pos = traj.loc[traj["t"] > 0, "t"]
grid = rx.log_time_grid(t_pos.min(), t_pos.max(), sd["per_decade"])
ensemble = rx.ensemble_on_log_grid(traj, grid)
fixed_avg = rx.fixed_w_averages(fixed)
spectra = unstable_spectrum(modes, fixed.groupby("logW_target")["n_modes"].sum(),
                            bins=sm.params.analysis["spectrum_bins"])

t_window = tuple(s["fit"]["t_window"])
beta = rx.fit_relaxation_exponent(traj, t_window, per_decade=sd["per_decade"])
logW_window = s["fit"].get("logW_window")
wfu = rx.fit_w_vs_fu(fixed, window=logW_window, seed=sm.params.seed)
flat = rx.flatness(fixed, wfu, zeta=sd["zeta"])
stab = max(m["euler_stability_dt_lambda_max_over_2"] for m in imetas)
fits = pd.DataFrame([{
    "beta": beta["beta"], "beta_err": beta["beta_err"], "beta_v": beta["beta_v"],
    "beta_v_err": beta["beta_v_err"], "beta_ens": beta["beta_ens"], "beta_ens_err": beta["beta_ens_err"],
    "beta_v_ens": beta["beta_v_ens"], "v_prefactor_ens": beta["v_prefactor_ens"],
    "two_beta": 2 * beta["beta"], "t_window_lo": t_window[0], "t_window_hi": t_window[1],
    "n_samples_beta": beta["n_samples"], "b": wfu["b"], "b_err": wfu["b_err"], "c": wfu["c"],
    "n_levels_b": wfu["n_levels"], "W_prefactor_ens": beta["W_prefactor_ens"],
    "euler_dt_lambda_max_over_2": stab,
    "dVdfu_direct_last": flat["dVdfu_direct"].dropna().iloc[-1] if flat["dVdfu_direct"].notna().any() else np.nan,
}])
fit_meta = {**meta, "t_window": list(t_window), "logW_window": logW_window,
            "beta_definition": "|v| ~ t^-beta, W ~ t^-2beta; mean of per-sample fits, err = std/sqrt(n)",
            "b_definition": "W ~ f_u^b on fixed-W levels; err from bootstrap over samples"}

write_table(traj, sm.output.traj, meta)
write_table(summary, sm.output.fixed, meta)
write_table(ensemble, sm.output.ensemble, meta)
write_table(fixed_avg, sm.output.fixed_avg, meta)
write_table(spectra, sm.output.spectra, meta)
write_table(flat, sm.output.flat, fit_meta)
write_table(fits, sm.output.fits, fit_meta)
