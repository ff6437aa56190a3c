"""P3 Figs. 1-9 and S5 from the P3 tables (thin: tables -> glasstools.plots.p3)."""
from glasstools.io import read_table
from glasstools.plots import p3
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
states = [{"kind": s["p3kind"], "N": int(s["p3N"]), "T": float(s["p3T"]), "sample": int(s["sample"])}
          for s in sm.params.states]
out = dict(zip(sm.params.names, sm.output))


def runs(paths):
    return [(st, read_table(p)[0]) for st, p in zip(states, paths)]


modes = runs(sm.input.modes)
# the lines bin ω as the tables did (lifetimes.bin_width, recorded in each modes table)
width = read_table(sm.input.modes[0])[1]["bin_width"] if sm.input.modes else p3.BIN_WIDTH
steps = runs(sm.input.steps)
glass_steps = [r for r in steps if r[0]["kind"] == "glass"] or steps
events, _ = read_table(sm.input.events)
p3.plot_msd(runs(sm.input.msd), out["msd"])
p3.plot_lifetimes(modes, out["tau"], bin_width=width)
p3.plot_lifetimes(modes, out["tau_T"], scaled=True, bin_width=width)
p3.plot_jdos(runs(sm.input.jdos), out["jdos"])
p3.plot_series(steps, out["dr_series"], "dr", r"$|\Delta r_{IS}|$", r"P3 Fig. 5: $|\Delta r_{IS}(t)|$, lag $\Delta t$",
               log=True)
p3.plot_series(steps, out["basin"], "dr_from_0", r"$|r_{IS}(t)-r_{IS}(0)|$", "P3 Fig. 8: basin exploration")
p3.plot_series(steps, out["energy"], "dphi_from_0", r"$\Delta\Phi_{IS}(t)$", "P3 Fig. 9: IS energy exploration")
threshold = read_table(sm.input.steps[0])[1]["event_threshold"] if sm.input.steps else None
p3.plot_events(events, out["events"], threshold)
best, title = None, ""
for st, path in zip(states, sm.input.field):
    field, md = read_table(path)
    if md.get("event") and (best is None or md["event"]["dr"] > best[1]["dr"]):
        best, title = (field, md["event"]), f"{st['kind']} N={st['N']} T={st['T']:g}"
p3.plot_far_field(best[0] if best else [], best[1] if best else None, out["far_field"], title)
p3.plot_equipartition(modes, out["equipartition"], bin_width=width)
