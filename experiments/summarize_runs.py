#!/usr/bin/env python3
"""Mean +- sample standard deviation over seeds of every teacher's and student's
test metrics in RUNS_DIR/<dataset>-s<seed>/ (teachers/*/metrics.json,
student/*/metrics.json), as a Markdown table. Stand-in for `3mhealth report`
(orchestration issue).

    summarize_runs.py RUNS_DIR [SEED ...]"""
import json
import pathlib
import re
import statistics
import sys

runs = pathlib.Path(sys.argv[1])
seeds = set(int(s) for s in sys.argv[2:])
rows = {}
for run in sorted(runs.iterdir()):
    m = re.fullmatch(r"(.+)-s(\d+)", run.name)
    if not m or (seeds and int(m.group(2)) not in seeds):
        continue
    for f in sorted(list(run.glob("teachers/*/metrics.json")) + list(run.glob("student/*/metrics.json"))):
        what = ("teacher " if f.parts[-3] == "teachers" else "student ") + f.parts[-2]
        t = json.load(open(f))["test"]
        rows.setdefault((m.group(1), what), []).append((int(m.group(2)), 100 * t["macro_f1"], 100 * t["weighted_f1"]))


def fmt(xs):
    return f"{statistics.mean(xs):.2f} ± {statistics.stdev(xs):.2f}" if len(xs) > 1 else f"{xs[0]:.2f}"


print("| dataset | model | seeds | macro-F1 | weighted-F1 |\n|---|---|---|---|---|")
for (ds, what), v in sorted(rows.items()):
    print(f"| {ds} | {what} | {','.join(str(s) for s, _, _ in sorted(v))} | {fmt([x[1] for x in v])} | {fmt([x[2] for x in v])} |")
