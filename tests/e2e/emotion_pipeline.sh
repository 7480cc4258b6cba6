#!/usr/bin/env bash
# End to end on IdenDep from ../shared with tiny models: prepare -> text teacher
# -> emotion teacher (NRC lexicon -> graph -> GCN -> MLP) -> student from text +
# emotion, under mpirun -np 2; checks the artifacts, that a finished emotion
# stage is skipped, and that a malformed lexicon stops the job naming file:line.
# Usage: emotion_pipeline.sh BUILD_DIR SOURCE_DIR WORK_DIR   (exit 77: data missing)
set -euo pipefail
bin="$1/3mhealth"; src="$2"; work="$3"
data="$src/../shared/data/idendep"
lexicon="$src/../shared/data/lexicons/NRC-Emotion-Lexicon/NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"
[ -d "$data" ] && [ -f "$lexicon" ] || { echo "no $data or $lexicon"; exit 77; }
rm -rf "$work"; mkdir -p "$work"; run="$work/run"
. "$src/scripts/env.sh"
tiny=(--hidden 32 --layers 1 --heads 2 --intermediate 64 --epochs 1 --batch-size 16 --lr 1e-3 --backend mpi)
graph=(--emotion-dim 16 --gcn-hidden 32 --gcn-epochs 30 --epochs 3 --backend mpi)
emotion=(--lexicon "$lexicon" "${graph[@]}")

"$bin" prepare --dataset idendep --input "$data" --out "$run" --vocab-size 2000 --max-length 64 > /dev/null
mpirun -np 2 "$bin" teacher --modality text "$run" "${tiny[@]}"
mpirun -np 2 "$bin" teacher --modality emotion "$run" "${emotion[@]}" 2>&1 | tee "$work/emotion.txt"
mpirun -np 2 "$bin" distill "$run" --teachers text,emotion "${tiny[@]}"

for f in emotion/embeddings.h5 teachers/emotion/model.pt teachers/emotion/metrics.json soft_targets/emotion.h5 \
         student/text+emotion/metrics.json student/text+emotion/predictions.csv; do
  [ -s "$run/$f" ] || { echo "missing $f"; exit 1; }
done
# One 16-wide vector per vocab.txt token, and the graph's words among them.
vocab=$(wc -l < "$run/vocab.txt")
h5dump -H -d /embeddings "$run/emotion/embeddings.h5" | grep -q "( $vocab, 16 )" || { echo "embeddings are not [$vocab, 16]"; exit 1; }
grep -Eq "emotion labels of 1473 training posts \(6453 lexicon words\)" "$work/emotion.txt" || { echo "unexpected label summary"; exit 1; }
grep -Eq "emotion graph: 1473 documents, [0-9]+ words; edges: [1-9][0-9]* TF-IDF, [1-9][0-9]* PMI, [1-9][0-9]* Jaccard" "$work/emotion.txt" \
  || { echo "graph summary missing"; exit 1; }
grep -q '"count": 184' "$run/teachers/emotion/metrics.json" || { echo "emotion test metrics do not cover the 184 test posts"; exit 1; }
h5dump -a /modality "$run/soft_targets/emotion.h5" | grep -q '"emotion"' || { echo "soft targets not marked emotion"; exit 1; }
# A finished stage is skipped; only --force redoes it.
mpirun -np 2 "$bin" teacher --modality emotion "$run" "${emotion[@]}" 2>&1 | grep -q "emotion teacher: up to date" \
  || { echo "emotion teacher was not skipped"; exit 1; }
# A malformed lexicon: exit non-zero, naming the file and the line.
{ head -3 "$lexicon"; printf 'broken line\n'; } > "$work/bad.txt"
if mpirun -np 2 "$bin" teacher --modality emotion "$run" --lexicon "$work/bad.txt" "${graph[@]}" > "$work/err.txt" 2>&1; then
  echo "a malformed lexicon was accepted"; exit 1
fi
grep -q "$work/bad.txt:4: expected word<TAB>emotion<TAB>0|1" "$work/err.txt" || { cat "$work/err.txt"; exit 1; }
echo "emotion pipeline ok"
