#!/usr/bin/env bash
# End to end on SDCNL from ../shared with a tiny model: prepare -> text teacher
# -> student from the text teacher -> text-only baseline student, under mpirun
# -np 2, then checks every artifact and that a re-run skips finished stages.
# Usage: text_pipeline.sh BUILD_DIR SOURCE_DIR WORK_DIR   (exit 77: data missing)
set -euo pipefail
bin="$1/3mhealth"; src="$2"; work="$3"
data="$src/../shared/data/sdcnl"
[ -d "$data" ] || { echo "no $data"; exit 77; }
rm -rf "$work"; mkdir -p "$work"; run="$work/run"
. "$src/scripts/env.sh"
tiny=(--hidden 32 --layers 1 --heads 2 --intermediate 64 --epochs 1 --batch-size 16 --lr 1e-3 --backend mpi)

"$bin" prepare --dataset sdcnl --input "$data" --out "$run" --vocab-size 2000 --max-length 64 > /dev/null
mpirun -np 2 "$bin" teacher --modality text "$run" "${tiny[@]}"
# A seed ensemble of 2: member 0 is the model above (same seed and options), member 1 the model of
# seed 1000, and its soft targets are their mean probability; --resume reuses finished members.
for d in ens seed1000; do mkdir -p "$work/$d"; cp "$run"/{data.h5,vocab.txt,manifest.json} "$work/$d/"; done
mpirun -np 2 "$bin" teacher --modality text "$work/ens" --text-members 2 "${tiny[@]}" > "$work/ens.txt" 2>&1 || { cat "$work/ens.txt"; exit 1; }
mpirun -np 2 "$bin" teacher --modality text "$work/seed1000" --seed 1000 --force "${tiny[@]}" > /dev/null 2>&1
for t in bert.embeddings.word_embeddings.weight classifier.weight; do
  /usr/bin/python3 "$src/tests/e2e/same_tensor.py" "$run/teachers/text/model/model.safetensors" "$work/ens/teachers/text/member-0/model/model.safetensors" $t
  /usr/bin/python3 "$src/tests/e2e/same_tensor.py" "$work/seed1000/teachers/text/model/model.safetensors" "$work/ens/teachers/text/member-1/model/model.safetensors" $t
done
/usr/bin/python3 "$src/tests/e2e/mean_probs.py" "$work/ens/soft_targets/text.h5" "$run/soft_targets/text.h5" "$work/seed1000/soft_targets/text.h5"
grep -q '"members"' "$work/ens/teachers/text/metrics.json" || { echo "the ensemble's metrics.json lacks its members"; exit 1; }
cp "$work/ens/soft_targets/text.h5" "$work/ens-first.h5"
mpirun -np 2 "$bin" teacher --modality text "$work/ens" --text-members 2 --resume --force "${tiny[@]}" > "$work/ens-resume.txt" 2>&1
[ "$(grep -c 'finished by an earlier run, loaded' "$work/ens-resume.txt")" -eq 2 ] || { cat "$work/ens-resume.txt"; exit 1; }
/usr/bin/python3 "$src/tests/e2e/mean_probs.py" "$work/ens/soft_targets/text.h5" "$work/ens-first.h5"
# predict serves the ensemble as a whole: the mean of its members, as its soft targets.
/usr/bin/python3 "$src/tests/e2e/predict_check.py" write "$work/ens" "$work/ens-posts.csv" 8
"$bin" predict --model "$work/ens/teachers/text" --input "$work/ens-posts.csv" --format csv --id-col id > "$work/ens.tsv"
/usr/bin/python3 "$src/tests/e2e/predict_check.py" check "$work/ens" "$work/ens.tsv"
# Cross-fitted soft targets: two fold models, each trained without half the training posts, give
# those posts theirs (each post exactly what predict says with the fold model that held it out);
# the teacher and its validation and test soft targets stay those of the plain run.
mkdir -p "$work/cf"; cp "$run"/{data.h5,vocab.txt,manifest.json} "$work/cf/"
mpirun -np 2 "$bin" teacher --modality text "$work/cf" --cross-fit 2 "${tiny[@]}" > "$work/cf.txt" 2>&1 || { cat "$work/cf.txt"; exit 1; }
/usr/bin/python3 "$src/tests/e2e/same_tensor.py" "$run/teachers/text/model/model.safetensors" "$work/cf/teachers/text/model/model.safetensors" classifier.weight
/usr/bin/python3 "$src/tests/e2e/cross_fit_check.py" "$work/cf" "$run" 2 "$work/cf-fold-"
for k in 0 1; do
  "$bin" predict --model "$work/cf/teachers/text/fold-$k/model" --input "$work/cf-fold-$k.csv" --format csv --id-col id > "$work/cf-$k.tsv"
  /usr/bin/python3 "$src/tests/e2e/predict_check.py" check "$work/cf" "$work/cf-$k.tsv"
done
grep -q '"training_out_of_fold"' "$work/cf/teachers/text/metrics.json" || { echo "metrics.json lacks the out-of-fold metrics"; exit 1; }
cp "$work/cf/soft_targets/text.h5" "$work/cf-first.h5"
mpirun -np 2 "$bin" teacher --modality text "$work/cf" --cross-fit 2 --resume --force "${tiny[@]}" > "$work/cf-resume.txt" 2>&1
[ "$(grep -c 'finished by an earlier run, loaded' "$work/cf-resume.txt")" -eq 2 ] || { cat "$work/cf-resume.txt"; exit 1; }
/usr/bin/python3 "$src/tests/e2e/mean_probs.py" "$work/cf/soft_targets/text.h5" "$work/cf-first.h5"
# A transfer set: 40 corpus posts appended unlabeled (split 3). The teacher never trains on them, so it
# is the plain run's model (member 0 above); the student trains on them (labels: the teacher's argmax),
# and --no-transfer leaves them out.
corpus="$src/../shared/data/pretrain/cams_reddit/posts.txt"
if [ -f "$corpus" ]; then
  tr="$work/transfer"
  "$bin" prepare --dataset sdcnl --input "$data" --out "$tr" --vocab-size 2000 --max-length 64 \
    --transfer-corpus "$corpus" --transfer-posts 40 > /dev/null
  "$bin" inspect "$tr" | grep -q "transfer set (unlabeled, for the student): 40 posts" || { "$bin" inspect "$tr"; exit 1; }
  cmp "$tr/vocab.txt" "$run/vocab.txt" || { echo "the transfer set changed the vocabulary"; exit 1; }
  mpirun -np 2 "$bin" teacher --modality text "$tr" "${tiny[@]}" > /dev/null 2>&1
  /usr/bin/python3 "$src/tests/e2e/same_tensor.py" "$work/ens/teachers/text/member-0/model/model.safetensors" \
    "$tr/teachers/text/model/model.safetensors" classifier.weight
  mpirun -np 2 "$bin" distill "$tr" --teachers text "${tiny[@]}" > "$work/tr.txt" 2>&1 || { cat "$work/tr.txt"; exit 1; }
  grep -q "trains on the 40 transfer posts" "$work/tr.txt" || { cat "$work/tr.txt"; exit 1; }
  grep -q '"transfer_posts": 40' "$tr/student/text/metrics.json" || { echo "metrics.json lacks the transfer posts"; exit 1; }
  [ "$(grep -c '^cams_reddit/posts.txt:[0-9]*,transfer,,' "$tr/student/text/predictions.csv")" -eq 40 ] \
    || { echo "predictions.csv lacks the 40 unlabeled transfer rows"; exit 1; }
  cp "$tr/student/text/model/model.safetensors" "$work/tr-student.safetensors"
  mpirun -np 2 "$bin" distill "$tr" --teachers text --no-transfer "${tiny[@]}" > /dev/null 2>&1
  grep -q '"transfer_posts": 0' "$tr/student/text/metrics.json" || { echo "--no-transfer trained on transfer posts"; exit 1; }
  /usr/bin/python3 "$src/tests/e2e/same_tensor.py" --differ "$work/tr-student.safetensors" \
    "$tr/student/text/model/model.safetensors" classifier.weight
fi
# The student reads the mean of its tokens and sees masked pieces in training; predict below uses it.
mpirun -np 2 "$bin" distill "$run" --teachers text "${tiny[@]}" --classifier-pooling mean --token-mask 0.1
mpirun -np 2 "$bin" distill "$run" --teachers none "${tiny[@]}"
# The bag-of-words teacher: TF-IDF + logistic regression, the baseline tfidf_baseline.py computes with
# scikit-learn, on the same split; out of fold on the training posts unless --cross-fit 0; a student learns from it.
mpirun -np 2 "$bin" teacher --modality bow "$run" > "$work/bow.txt" 2>&1 || { cat "$work/bow.txt"; exit 1; }
mkdir -p "$work/bow0" && cp "$run/data.h5" "$run/vocab.txt" "$run/manifest.json" "$work/bow0/"
mpirun -np 2 "$bin" teacher --modality bow "$work/bow0" --cross-fit 0 > /dev/null 2>&1
/usr/bin/python3 "$src/experiments/tfidf_baseline.py" "$run" sdcnl "$data" > "$work/bow-baseline.json"
/usr/bin/python3 "$src/tests/e2e/bow_check.py" "$run" "$work/bow0" "$work/bow-baseline.json"
mpirun -np 2 "$bin" distill "$run" --teachers text,bow "${tiny[@]}" > "$work/bow-student.txt" 2>&1 || { cat "$work/bow-student.txt"; exit 1; }
grep -q '"count": 379' "$run/student/text+bow/metrics.json" || { echo "no test metrics of the text+bow student"; exit 1; }

for f in teachers/text/model/model.safetensors teachers/text/model/config.json teachers/text/model/vocab.txt \
         teachers/text/metrics.json soft_targets/text.h5 student/text/metrics.json student/text/predictions.csv \
         student/none/metrics.json student/none/model/model.safetensors; do
  [ -s "$run/$f" ] || { echo "missing $f"; exit 1; }
done
# 1895 posts + header, and test metrics over the 379 official test posts.
[ "$(wc -l < "$run/student/text/predictions.csv")" -eq 1896 ] || { echo "predictions.csv has the wrong row count"; exit 1; }
grep -q '"count": 379' "$run/student/text/metrics.json" || { echo "test metrics do not cover the 379 test posts"; exit 1; }
grep -q '"macro_f1"' "$run/teachers/text/metrics.json" || { echo "no macro_f1 in the teacher's metrics"; exit 1; }
h5dump -H "$run/soft_targets/text.h5" | grep -q 'DATASET "probs"' || { echo "soft targets lack /probs"; exit 1; }
grep -q '"classifier_pooling": "mean"' "$run/student/text/model/config.json" || { echo "student config.json lacks mean pooling"; exit 1; }
grep -q '"classifier_pooling": "cls"' "$run/teachers/text/model/config.json" || { echo "teacher config.json lacks cls pooling"; exit 1; }
# predict: the saved student classifies new posts (TSV: id, label, one probability per label).
printf 'i feel hopeless and want it all to end\nsynthetic post about a bad day :(\n' \
  | "$bin" predict --model "$run/student/text/model" > "$work/pred.tsv"
[ "$(head -1 "$work/pred.tsv")" = "$(printf 'id\tlabel\tp_depression\tp_suicide')" ] || { echo "bad predict header"; exit 1; }
[ "$(wc -l < "$work/pred.tsv")" -eq 3 ] || { echo "predict did not print two rows"; exit 1; }
awk -F'\t' 'NR > 1 { s = $3 + $4; if (s < 0.999 || s > 1.001) exit 1 }' "$work/pred.tsv" || { echo "probabilities do not sum to 1"; exit 1; }
# Head+tail truncation: predict cuts a long post as prepare did (the first and the last 20 pieces),
# so its probabilities for long test posts are the teacher's soft targets for them (4 epochs: a model
# that reads its input; cutting the head alone moves them by up to 0.58, tried).
"$bin" prepare --dataset sdcnl --input "$data" --out "$work/tail" --vocab-size 2000 --max-length 64 --tail-pieces 20 > /dev/null
mpirun -np 2 "$bin" teacher --modality text "$work/tail" --hidden 32 --layers 1 --heads 2 --intermediate 64 --epochs 4 \
  --batch-size 16 --lr 3e-3 --backend mpi > /dev/null 2>&1
/usr/bin/python3 "$src/tests/e2e/predict_check.py" write "$work/tail" "$work/long-posts.csv" 8
"$bin" predict --model "$work/tail/teachers/text/model" --input "$work/long-posts.csv" --format csv --id-col id > "$work/tail.tsv"
/usr/bin/python3 "$src/tests/e2e/predict_check.py" check "$work/tail" "$work/tail.tsv"
# Finished stages are skipped on a re-run with the same configuration.
mpirun -np 2 "$bin" teacher --modality text "$run" "${tiny[@]}" 2>&1 | grep -q "up to date" || { echo "teacher was not skipped"; exit 1; }
# A missing teacher is a clear error naming the file.
if mpirun -np 2 "$bin" distill "$run" --teachers audio "${tiny[@]}" > "$work/err.txt" 2>&1; then echo "distill without audio soft targets succeeded"; exit 1; fi
grep -q "soft_targets/audio.h5: no soft targets" "$work/err.txt" || { cat "$work/err.txt"; exit 1; }
# In-domain pretraining (training split + a few corpus posts), then a teacher that starts from it.
if [ -f "$corpus" ]; then
  mpirun -np 2 "$bin" pretrain "$run" --corpus "$corpus" --max-corpus-posts 50 "${tiny[@]}"
  for f in pretrain/config.json pretrain/model.safetensors pretrain/vocab.txt; do
    [ -s "$run/$f" ] || { echo "missing $f"; exit 1; }
  done
  mpirun -np 2 "$bin" teacher --modality text "$run" --init-from "$run/pretrain" --force "${tiny[@]}" > "$work/init.txt" 2>&1
  grep -Eq "text model: [0-9]+ tensors from $run/pretrain, 2 initialised fresh" "$work/init.txt" || { cat "$work/init.txt"; exit 1; }
  # The checkpoint serves another dataset prepared with its vocabulary; with the run's own
  # vocabulary it is refused, naming the fix.
  idendep="$src/../shared/data/idendep"
  if [ -d "$idendep" ]; then
    other="$work/idendep"
    "$bin" prepare --dataset idendep --input "$idendep" --out "$other" --max-length 64 --vocab "$run/pretrain/vocab.txt" > /dev/null
    mpirun -np 2 "$bin" teacher --modality text "$other" --init-from "$run/pretrain" "${tiny[@]}" > "$work/other.txt" 2>&1 \
      || { cat "$work/other.txt"; exit 1; }
    [ -s "$other/soft_targets/text.h5" ] || { echo "no soft targets from the shared checkpoint"; exit 1; }
    "$bin" prepare --dataset idendep --input "$idendep" --out "$work/own" --max-length 64 --vocab-size 2000 > /dev/null
    if mpirun -np 2 "$bin" teacher --modality text "$work/own" --init-from "$run/pretrain" "${tiny[@]}" > "$work/own.txt" 2>&1; then
      echo "a checkpoint with another vocabulary was accepted"; exit 1
    fi
    grep -q "the checkpoint's vocabulary differs from the run's; prepare the run with --vocab" "$work/own.txt" || { cat "$work/own.txt"; exit 1; }
  fi
  # Its position embeddings bind the max length: a run of longer posts is refused, naming the numbers.
  "$bin" prepare --dataset sdcnl --input "$data" --out "$work/long" --max-length 96 --vocab "$run/pretrain/vocab.txt" > /dev/null
  if mpirun -np 2 "$bin" teacher --modality text "$work/long" --init-from "$run/pretrain" "${tiny[@]}" > "$work/long.txt" 2>&1; then
    echo "a checkpoint with 64 positions served a run of 96"; exit 1
  fi
  grep -q "max_position_embeddings 64 is shorter than the run's max length 96" "$work/long.txt" || { cat "$work/long.txt"; exit 1; }
  # Skip-gram word vectors instead: rank 0 trains them while rank 1 waits; the checkpoint holds only
  # the word embeddings, so a teacher from it loads one tensor and draws the rest from its seed.
  mpirun -np 2 --bind-to none "$bin" pretrain "$run" --objective skipgram --corpus "$corpus" --max-corpus-posts 50 \
    --hidden 32 --epochs 2 --threads 1 > "$work/sg.txt" 2>&1 || { cat "$work/sg.txt"; exit 1; }
  grep -Eq "word vectors: [0-9]+ of [0-9]+ pieces" "$work/sg.txt" || { cat "$work/sg.txt"; exit 1; }
  grep -q '"hidden_size": 32' "$run/pretrain/config.json" || { echo "skip-gram config.json lacks the hidden size"; exit 1; }
  mpirun -np 2 "$bin" teacher --modality text "$run" --init-from "$run/pretrain" --force "${tiny[@]}" > "$work/sg-init.txt" 2>&1
  grep -Eq "text model: 1 tensors from $run/pretrain, [0-9]+ initialised fresh" "$work/sg-init.txt" || { cat "$work/sg-init.txt"; exit 1; }
  emb=bert.embeddings.word_embeddings.weight
  /usr/bin/python3 "$src/tests/e2e/same_tensor.py" --differ "$run/pretrain/model.safetensors" "$run/teachers/text/model/model.safetensors" $emb
  # --freeze-embeddings keeps them exactly as the vectors were.
  mpirun -np 2 "$bin" teacher --modality text "$run" --init-from "$run/pretrain" --freeze-embeddings --force "${tiny[@]}" > "$work/frozen.txt" 2>&1 \
    || { cat "$work/frozen.txt"; exit 1; }
  /usr/bin/python3 "$src/tests/e2e/same_tensor.py" "$run/pretrain/model.safetensors" "$run/teachers/text/model/model.safetensors" $emb
  # Word vectors carry no positions: they serve the longer run too.
  mpirun -np 2 "$bin" teacher --modality text "$work/long" --init-from "$run/pretrain" "${tiny[@]}" > "$work/long.txt" 2>&1 \
    || { cat "$work/long.txt"; exit 1; }
  grep -q '"max_position_embeddings": 96' "$work/long/teachers/text/model/config.json" || { echo "the longer run's model lacks 96 positions"; exit 1; }
  # SIGTERM to the ranks (as Slurm preemption) stops the skip-gram stage within a moment: exit 0, nothing
  # saved, the earlier vectors and the manifest's record of them untouched (100000 epochs: hours otherwise).
  sha_before=$(sha256sum < "$run/pretrain/model.safetensors")
  mpirun -np 2 --bind-to none "$bin" pretrain "$run" --objective skipgram --corpus "$corpus" --max-corpus-posts 50 \
    --hidden 32 --epochs 100000 --threads 1 > "$work/sg-stop.txt" 2>&1 & pid=$!
  for _ in $(seq 600); do grep -q "windows of up to" "$work/sg-stop.txt" && break; sleep 0.1; done
  pkill -TERM -P "$pid"
  wait "$pid" || { cat "$work/sg-stop.txt"; echo "a stopped skip-gram stage must exit 0"; exit 1; }
  grep -q "stopped (SIGTERM or SIGUSR1) before the word vectors were done" "$work/sg-stop.txt" || { cat "$work/sg-stop.txt"; exit 1; }
  [ "$(sha256sum < "$run/pretrain/model.safetensors")" = "$sha_before" ] || { echo "a stopped stage changed the vectors"; exit 1; }
  [ ! -e "$run/pretrain/word-vector-posts.tmp" ] || { echo "the stopped stage left its temporary file"; exit 1; }
  grep -q '"epochs": 100000' "$run/manifest.json" && { echo "the manifest records the stopped stage"; exit 1; }
fi
echo "text pipeline ok"
