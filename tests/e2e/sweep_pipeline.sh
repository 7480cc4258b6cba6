#!/usr/bin/env bash
# `3mhealth sweep` here (2 ranks): a sweep file of one dataset (the demo
# configuration on a synthetic corpus) x 2 seeds runs both, one after the
# other, then writes the report (2 seeds per row); a re-run does nothing new;
# mistakes in the sweep file are errors naming file and line.
# Usage: sweep_pipeline.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
bin=$(cd "$1" && pwd)/3mhealth; src=$(cd "$2" && pwd); work="$3"
rm -rf "$work"; mkdir -p "$work"; work=$(cd "$work" && pwd)
. "$src/scripts/env.sh"
cd "$src"  # the demo configuration's paths are relative to the repository
/usr/bin/python3 experiments/demo/synthetic_posts.py "$work/posts.csv" 160 7
. "$src/tests/e2e/demo_sweep_file.sh"
demo_sweep_file "$work/sweep.ini" "$work/runs" "$work/posts.csv" "3, 4" 3 20
"$bin" sweep "$work/sweep.ini" --dry-run > "$work/dry.txt"
# One line per run, with the exact `run` options it gets.
[ "$(wc -l < "$work/dry.txt")" = 2 ] && grep -q "^1	csv	seed 4	run --config experiments/demo/demo.ini --run-dir $work/runs/csv-s4 --seed 4 --students 'none, text+audio' --input $work/posts.csv --epochs 3 " "$work/dry.txt" ||
  { cat "$work/dry.txt"; echo "expected 2 runs with their options"; exit 1; }
mpirun -np 2 "$bin" sweep "$work/sweep.ini" > "$work/out.txt" 2> "$work/log.txt" || { tail -n 30 "$work/log.txt"; exit 1; }
for s in 3 4; do
  /usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['seed']==$s and set(r['students'])=={'none','text+audio'}, r" \
    "$work/runs/csv-s$s/results.json"
done
grep -q "^| csv | student text+audio | 2 |" "$work/runs/report.md" || { cat "$work/runs/report.md"; echo "no 2-seed row"; exit 1; }
# The text-only column never rests on fewer seeds than the text teacher: with
# the `none` student in one of the two runs only, it is the text teacher's.
/usr/bin/python3 - "$work/runs/csv-s4/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
del r["students"]["none"]
r["teachers"]["text"]["macro_f1"] = 0.123  # so the teacher's mean cannot equal seed 3's none student
json.dump(r, open(sys.argv[1], "w"))
PY
"$bin" report "$work/runs" > /dev/null
/usr/bin/python3 - "$work/runs/report.md" <<'PY'
import sys
rows = {r[2].strip(): r for r in (l.split("|") for l in open(sys.argv[1]) if l.startswith("| csv |"))}
assert rows["student none"][3].strip() == "1", rows["student none"]
assert rows["student text+audio"][7].strip() == rows["teacher text"][5].strip(), (rows["student text+audio"], rows["teacher text"])
assert rows["student text+audio"][7].strip() != rows["student none"][5].strip(), rows
PY
# Again: every stage of both runs is up to date.
mpirun -np 2 "$bin" sweep "$work/sweep.ini" > /dev/null 2> "$work/log2.txt"
if grep -q "epoch 1/" "$work/log2.txt"; then echo "the re-run trained again"; exit 1; fi
# `students =` left empty: teachers only; results.json and the report still work.
printf '[sweep]\nruns = %s\ndatasets = csv\nseeds = 5\nstudents =\nconfig.csv = experiments/demo/demo.ini\noptions = --input %s --epochs 2 --teachers text\n' \
  "$work/teachers-only" "$work/posts.csv" > "$work/teachers.ini"
"$bin" sweep "$work/teachers.ini" --dry-run | grep -q -- "--students '' --input" || { "$bin" sweep "$work/teachers.ini" --dry-run; exit 1; }
mpirun -np 2 "$bin" sweep "$work/teachers.ini" > /dev/null 2> "$work/log3.txt" || { tail -n 30 "$work/log3.txt"; exit 1; }
if grep -q "\[r[0-9]*/2 student" "$work/log3.txt"; then echo "a teachers-only sweep trained a student"; exit 1; fi
grep -q "^| csv | teacher text | 1 |" "$work/teachers-only/report.md" || { cat "$work/teachers-only/report.md"; exit 1; }
# Mistakes: an unknown key, an index outside the sweep.
printf '[sweep]\nruns = x\ndatasets = csv\nseeds = 0\nconfig.csv = experiments/demo/demo.ini\nseed = 1\n' > "$work/bad.ini"
if "$bin" sweep "$work/bad.ini" --dry-run 2> "$work/err.txt"; then echo "bad sweep file accepted"; exit 1; fi
grep -q "bad.ini:6: unknown key 'seed'" "$work/err.txt" || { cat "$work/err.txt"; exit 1; }
if "$bin" sweep "$work/sweep.ini" --index 2 2> "$work/err.txt"; then echo "index 2 accepted"; exit 1; fi
grep -q "\-\-index 2: the sweep has 2 runs" "$work/err.txt" || { cat "$work/err.txt"; exit 1; }
echo "sweep pipeline ok"
