#!/usr/bin/env bash
# End to end on a synthetic corpus (experiments/demo/synthetic_posts.py) under
# mpirun -np 2: espeak-ng speech + log-mel in shards; a run stopped by SIGTERM
# midway, one of its finished shards then torn and a stale temporary file left
# beside them, resumes (skipping the intact shards, redoing the torn one) to
# exactly the features of an uninterrupted run; then the AST teacher and a
# student distilled from text + audio.
# Usage: audio_pipeline.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
bin="$1/3mhealth"; src="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
. "$src/scripts/env.sh"
/usr/bin/python3 "$src/experiments/demo/synthetic_posts.py" "$work/posts.csv" 400 1
for r in ref run; do
  "$bin" prepare --dataset csv --input "$work/posts.csv" --id-col id --out "$work/$r" --vocab-size 300 --max-length 48 > /dev/null
done
audio=(--frames 128 --shard-size 4 --full-audio --backend mpi)

mpirun -np 2 "$bin" audio "$work/ref" "${audio[@]}" 2> "$work/ref.log"
[ -s "$work/ref/audio/mel.h5" ] || { cat "$work/ref.log"; echo "no mel.h5"; exit 1; }
h5dump -H -d /mel "$work/ref/audio/mel.h5" | grep -q "( 400, 128, 128 )" || { echo "mel is not [400, 128, 128]"; exit 1; }
[ -z "$(ls "$work/ref/audio" | grep shard)" ] || { echo "shards left after the merge"; exit 1; }

# Stop a run midway (SIGTERM, as Slurm preemption does) once a few shards exist.
mpirun -np 2 "$bin" audio "$work/run" "${audio[@]}" 2> "$work/stopped.log" & pid=$!
for _ in $(seq 600); do
  [ "$(ls "$work/run/audio" 2> /dev/null | grep -c '^shard-[0-9]*\.h5$')" -ge 6 ] && break
  sleep 0.1
done
# To the ranks, as Slurm delivers it (mpirun itself would tear the job down).
pkill -TERM -P "$pid"
wait "$pid" || { cat "$work/stopped.log"; echo "a stopped run must exit 0"; exit 1; }
grep -q "stop requested" "$work/stopped.log" || { cat "$work/stopped.log"; echo "the run finished before the stop"; exit 1; }
[ ! -e "$work/run/audio/mel.h5" ] || { echo "a stopped run merged"; exit 1; }
done_before=$(ls "$work/run/audio" | grep -c '^shard-[0-9]*\.h5$')
# Tear one finished shard (as a copy cut short would) and leave a stale temporary file.
torn=$(ls "$work/run/audio" | grep '^shard-[0-9]*\.h5$' | head -1)
truncate -s 3000 "$work/run/audio/$torn"
echo partial > "$work/run/audio/shard-99.h5.tmp.12345"

mpirun -np 2 "$bin" audio "$work/run" "${audio[@]}" 2> "$work/resumed.log"
grep -q "$torn is unreadable\|$torn fails its checksum" "$work/resumed.log" || { cat "$work/resumed.log"; echo "torn shard not noticed"; exit 1; }
grep -q "$((done_before - 1)) shards already done" "$work/resumed.log" || { cat "$work/resumed.log"; echo "intact shards not skipped ($done_before before)"; exit 1; }
for d in mel frames duration; do
  h5diff "$work/ref/audio/mel.h5" "$work/run/audio/mel.h5" "/$d" "/$d" || { echo "/$d differs from the uninterrupted run"; exit 1; }
done
[ -z "$(ls "$work/run/audio" | grep shard)" ] || { echo "shards or temporary files left after the merge"; exit 1; }
mpirun -np 2 "$bin" audio "$work/run" "${audio[@]}" 2>&1 | grep -q "audio: up to date" || { echo "audio not skipped"; exit 1; }

# The AST teacher and a student from text + audio, tiny.
tiny=(--epochs 1 --batch-size 16 --backend mpi)
mpirun -np 2 "$bin" teacher --modality audio "$work/run" --ast-hidden 32 --ast-layers 1 --ast-heads 2 --ast-intermediate 64 \
  --fstride 16 --tstride 16 "${tiny[@]}"
mpirun -np 2 "$bin" teacher --modality text "$work/run" --hidden 32 --layers 1 --heads 2 --intermediate 64 --lr 1e-3 "${tiny[@]}"
mpirun -np 2 "$bin" distill "$work/run" --teachers text,audio --hidden 32 --layers 1 --heads 2 --intermediate 64 --lr 1e-3 "${tiny[@]}"
for f in teachers/audio/model.pt teachers/audio/metrics.json soft_targets/audio.h5 student/text+audio/metrics.json; do
  [ -s "$work/run/$f" ] || { echo "missing $f"; exit 1; }
done
h5dump -a /modality "$work/run/soft_targets/audio.h5" | grep -q '"audio"' || { echo "soft targets not marked audio"; exit 1; }
echo "audio pipeline ok"
