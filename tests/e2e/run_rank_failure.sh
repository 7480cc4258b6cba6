#!/usr/bin/env bash
# A rank killed (SIGKILL) while the teachers train must end the whole
# `3mhealth run` with a non-zero exit within 60 s, naming the rank; a re-run
# then resumes (finished stages are skipped) and finishes with results.json.
# Usage: run_rank_failure.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
bin="$1/3mhealth"; src="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
. "$src/scripts/env.sh"
/usr/bin/python3 "$src/experiments/demo/synthetic_posts.py" "$work/posts.csv" 200 4
printf 'alone,sadness\nempty,sadness\nhopeless,sadness\nafraid,fear\nlost,fear\nsunny,joy\nfriends,joy\n' > "$work/lexicon.csv"
args=(--dataset csv --input "$work/posts.csv" --id-col id --vocab-size 300 --max-length 48 --lexicon "$work/lexicon.csv"
      --hidden 32 --layers 1 --heads 2 --intermediate 64 --epochs 30 --patience 30 --batch-size 8 --lr 1e-3
      --emotion-dim 16 --gcn-epochs 20 --min-word-freq 2 --students text
      --ast-hidden 32 --ast-layers 1 --ast-heads 2 --ast-intermediate 64 --fstride 16 --tstride 16
      --frames 128 --shard-size 8 --backend mpi)
mpirun -np 4 "$bin" run "$work/run" "${args[@]}" > /dev/null 2> "$work/log.txt" & pid=$!
# Wait until the text teacher (ranks 0-1) is training, then kill rank 1.
for _ in $(seq 600); do grep -q "\[r0/4 text\] text teacher: epoch 1/" "$work/log.txt" 2> /dev/null && break; sleep 0.1; done
victim=$(pgrep -P "$pid" | sort -n | sed -n 2p)
start=$(date +%s)
kill -KILL "$victim"
if wait "$pid"; then echo "the job exited 0 after a rank was killed"; exit 1; fi
took=$(( $(date +%s) - start ))
[ "$took" -le 60 ] || { echo "the job took $took s to end after a rank died"; exit 1; }
grep -Eiq "rank [0-9]+ .*(exited|killed|signal)|process.*(rank|\[\[).*(exited|killed|signal)" "$work/log.txt" \
  || { tail -20 "$work/log.txt"; echo "no message naming the dead rank"; exit 1; }
echo "job ended $took s after rank 1 died"
[ ! -e "$work/run/results.json" ] || { echo "results.json from a failed run"; exit 1; }
# The re-run skips what was finished (prepare, audio) and completes.
mpirun -np 4 "$bin" run "$work/run" "${args[@]}" --resume > /dev/null 2> "$work/log2.txt" || { tail -30 "$work/log2.txt"; exit 1; }
grep -q "audio: up to date" "$work/log2.txt" || { echo "the finished audio stage was redone"; exit 1; }
[ -s "$work/run/results.json" ] || { echo "no results.json after the re-run"; exit 1; }
echo "rank failure ok"
