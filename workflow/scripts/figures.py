"""Figures of every (model, N) group, all temperatures, from Parquet tables only (one item of
params.figs per group: its tables and its four figures)."""

from glasstools.io import read_table
from glasstools.plots.modes import plot_unstable_spectra
from glasstools.plots.relaxation import plot_v_of_t, plot_w_of_t, plot_w_vs_fu
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)


def by_T(paths):
    out = {}
    for p in paths:
        df, meta = read_table(p)
        T = meta["system"]["T"]
        out[f"T = {T:g}" if T != float("inf") else "T = inf"] = df
    return out


for item in sm.params.figs:
    inp, out, title = item["in"], item["out"], item["title"]
    ens, fixed, fits = by_T(inp["ensemble"]), by_T(inp["fixedW"]), by_T(inp["fits"])
    fixed = {k: v[~v["is_inherent_structure"]] for k, v in fixed.items()}
    fit_dicts = {}
    for label, f in fits.items():
        row = f.iloc[0].to_dict()
        row["window"] = (row["t_window_lo"], row["t_window_hi"])
        fit_dicts[label] = row
    plot_w_of_t(ens, out["W_t"], title=title)
    plot_v_of_t(ens, fit_dicts, out["v_t"], title=title)
    plot_w_vs_fu(fixed, fit_dicts, out["W_fu"], title=title)
    spectra = by_T(inp["unstable_spectra"])
    first = next(iter(spectra))
    plot_unstable_spectra(spectra[first].assign(label=first), out["unstable_spectra"], title=f"{title}, {first}")
