#!/usr/bin/env bash
# `3mhealth run` with 4 ranks (oversubscribed) on a synthetic corpus and a
# synthetic lexicon: prepare, audio, the bow teacher on all ranks, then the
# three others on their own rank groups at the same time (their log lines must overlap in time), the four
# students, results.json; a re-run finds every stage done; `report` tables.
# Usage: run_pipeline.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
bin="$1/3mhealth"; src="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
. "$src/scripts/env.sh"
/usr/bin/python3 "$src/experiments/demo/synthetic_posts.py" "$work/posts.csv" 200 3
printf 'alone,sadness\nempty,sadness\nhopeless,sadness\ncrying,sadness\nafraid,fear\nlost,fear\nhurt,anger\nsunny,joy\nlaugh,joy\nfriends,joy\nmusic,joy\n' > "$work/lexicon.csv"
args=(--dataset csv --input "$work/posts.csv" --id-col id --vocab-size 300 --max-length 48 --lexicon "$work/lexicon.csv"
      --hidden 32 --layers 1 --heads 2 --intermediate 64 --epochs 4 --patience 4 --batch-size 8 --lr 1e-3
      --emotion-dim 16 --gcn-epochs 300 --gcn-patience 300 --min-word-freq 2
      --ast-hidden 32 --ast-layers 1 --ast-heads 2 --ast-intermediate 64 --fstride 16 --tstride 16
      --frames 128 --shard-size 8 --backend mpi --teachers text,emotion,audio,bow)
mpirun -np 4 "$bin" run "$work/run" "${args[@]}" > "$work/out.txt" 2> "$work/log.txt" || { cat "$work/log.txt"; exit 1; }
grep -q "run: teachers in parallel: text: ranks 0-1, emotion: rank 2, audio: rank 3" "$work/log.txt" || { grep "run:" "$work/log.txt"; echo "unexpected plan"; exit 1; }
/usr/bin/python3 - "$work" <<'PY'
import json, re, sys
from datetime import datetime
work = sys.argv[1]
r = json.load(open(f"{work}/run/results.json"))
assert set(r["teachers"]) == {"text", "emotion", "audio", "bow"}, r["teachers"]
assert set(r["students"]) == {"text", "text+emotion", "text+audio", "text+emotion+audio"}, r["students"]
for group in (r["teachers"], r["students"]):
    for m in group.values():
        assert 0 <= m["macro_f1"] <= 1 and 0 <= m["accuracy"] <= 1, m
# Each teacher's span: its first training line to its test line, from the log's timestamps.
span = {}
for line in open(f"{work}/log.txt"):
    m = re.match(r"(\S+) \[r\d+/4 (text|emotion|audio)\] (.*)", line)
    if not m or ("teacher" not in m.group(3) and "emotion" not in m.group(3)) or "audio:" in m.group(3):
        continue
    t = datetime.fromisoformat(m.group(1))
    s = span.setdefault(m.group(2), [t, t])
    s[0], s[1] = min(s[0], t), max(s[1], t)
assert set(span) == {"text", "emotion", "audio"}, span
latest_start, earliest_end = max(s[0] for s in span.values()), min(s[1] for s in span.values())
assert latest_start < earliest_end, f"the teachers did not train at the same time: {span}"
print("teachers overlapped for", (earliest_end - latest_start).total_seconds(), "s")
PY
# Soft targets: each rank of a group wrote a shard, its rank 0 merged them (text: 2 ranks).
grep -q "text teacher: merged 2 soft-target shards (200 posts, each exactly once)" "$work/log.txt" &&
  grep -q "audio teacher: merged 1 soft-target shards" "$work/log.txt" &&
  grep -q "bow teacher: merged 4 soft-target shards (200 posts, each exactly once)" "$work/log.txt" || { grep merged "$work/log.txt"; echo "no shard merge"; exit 1; }
if ls "$work"/run/soft_targets/*shard* 2> /dev/null; then echo "shards left behind"; exit 1; fi
grep -q "| student text+emotion+audio |" "$work/out.txt" || { cat "$work/out.txt"; echo "no results table"; exit 1; }
# A re-run: every stage is up to date, the results are the same.
cp "$work/run/results.json" "$work/first.json"
mpirun -np 4 "$bin" run "$work/run" "${args[@]}" > /dev/null 2> "$work/log2.txt"
[ "$(grep -c "up to date" "$work/log2.txt")" -ge 9 ] || { grep "up to date" "$work/log2.txt"; echo "stages were redone"; exit 1; }
/usr/bin/python3 -c "
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert a['teachers'] == b['teachers'] and a['students'] == b['students']" "$work/first.json" "$work/run/results.json"
# report: the runs under a directory as mean ± std tables (one run here).
"$bin" report "$work" > "$work/report.txt"
grep -q "^| csv | student text+emotion+audio | 1 |" "$work/report.md" &&
  grep -q "^| csv | teacher bow | 1 |" "$work/report.md" || { cat "$work/report.txt"; echo "no report row"; exit 1; }
head -1 "$work/report.csv" | grep -q "^dataset,model,n,accuracy_mean" || { echo "bad report.csv"; exit 1; }
# The teachers by post length (the synthetic posts are all 50 words or fewer) and the two charts.
grep -qE "^\| csv \| text \| [0-9]+\.[0-9]{2} \|  \|  \|  \|  \|$" "$work/report.md" || { cat "$work/report.md"; echo "no length row"; exit 1; }
for png in report-csv.png report-csv-length.png; do
  head -c 8 "$work/$png" | od -An -c | grep -q "P   N   G" || { echo "$png: not a PNG"; exit 1; }
done
mkdir -p "$work/empty"
if "$bin" report "$work/empty" 2> /dev/null; then echo "report of no runs succeeded"; exit 1; fi
echo "run pipeline ok"
