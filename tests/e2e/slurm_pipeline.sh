#!/usr/bin/env bash
# slurm/3mhealth.sbatch on a single-node Slurm started here (munged, slurmctld,
# slurmd; slurm/local-cluster.sh), with the demo configuration on a small
# synthetic corpus: the job runs `3mhealth run` through srun --mpi=pmix on 2
# tasks; SIGUSR1 to the batch shell (what `--signal=B:USR1@300` sends before
# the time limit) checkpoints the ranks and requeues the job, which resumes
# and writes results.json. The daemons are stopped by PID at the end.
# Usage: slurm_pipeline.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$(cd "$1" && pwd); src=$(cd "$2" && pwd); work="$3"
rm -rf "$work"; mkdir -p "$work"; work=$(cd "$work" && pwd)
# Short socket paths: munge's socket must fit in sun_path (108 bytes).
cluster=$(mktemp -d /tmp/mh-slurm.XXXXXX)
trap 'bash "$src/slurm/local-cluster.sh" stop "$cluster"; rm -rf "$cluster"' EXIT
eval "$(bash "$src/slurm/local-cluster.sh" start "$cluster")"
/usr/bin/python3 "$src/experiments/demo/synthetic_posts.py" "$work/posts.csv" 200 5
export MH_BIN="$build/3mhealth" MH_ROOT="$src"
# Long enough text-teacher training (patience = epochs) to signal it midway.
job=$(cd "$src" && sbatch --parsable --output="$work/job.out" slurm/3mhealth.sbatch experiments/demo/demo.ini \
        --run-dir "$work/run" --input "$work/posts.csv" --epochs 60 --patience 60)
echo "submitted job $job"
state() { squeue -h -j "$job" -o %T 2>/dev/null || true; }
for _ in $(seq 600); do
  grep -q "text teacher: epoch 5/60" "$work/job.out" 2>/dev/null && break
  sleep 0.2
done
grep -q "text teacher: epoch 5/60" "$work/job.out" || { cat "$work/job.out"; echo "the job did not reach the text teacher"; exit 1; }
scancel --batch --signal=USR1 "$job"
# slurmctld holds a requeued job back for about two minutes (BeginTime); once
# the first start has been cleaned up, let it start now.
for _ in $(seq 300); do
  if [ "$(state)" = PENDING ]; then sleep 10; scontrol update JobId="$job" StartTime=now && break; fi
  sleep 0.2
done
for _ in $(seq 900); do
  [ -f "$work/run/results.json" ] && [ -z "$(state)" ] && break
  sleep 0.2
done
cat "$work/job.out" > "$work/job.log"
[ -f "$work/run/results.json" ] || { tail -n 40 "$work/job.out"; scontrol show job "$job" | head -20; echo "no results.json"; exit 1; }
grep -q "srun --mpi=pmix" "$work/job.out" || { echo "not launched with srun --mpi=pmix"; exit 1; }
grep -q "checkpointed; requeueing job $job" "$work/job.out" || { echo "no requeue"; exit 1; }
grep -q "start 1:" "$work/job.out" || { echo "the requeued job did not start again"; exit 1; }
# The ranks got SIGTERM (not srun's SIGKILL): the text teacher checkpointed where it was and resumed there.
grep -q "text teacher: stop signal: checkpoint written" "$work/job.out" || { echo "the ranks were not stopped by SIGTERM"; exit 1; }
grep -q "text teacher: resuming from" "$work/job.out" || { echo "the text teacher did not resume"; exit 1; }
# Teachers one after another (2 ranks < 3 teachers): none starts after the stop.
if grep -q "emotion teacher: resuming from" "$work/job.out"; then echo "a teacher started after the stop signal"; exit 1; fi
/usr/bin/python3 - "$work/run/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["world"] == 2, r
assert set(r["teachers"]) == {"text", "emotion", "audio"}, r["teachers"]
assert set(r["students"]) == {"text", "text+emotion", "text+audio", "text+emotion+audio"}, r["students"]
for group in (r["teachers"], r["students"]):
    for m in group.values():
        assert 0 <= m["macro_f1"] <= 1, m
PY
# `3mhealth sweep --submit`: a job array of slurm/sweep.sbatch (2 seeds) and a
# report job after it.
. "$src/tests/e2e/demo_sweep_file.sh"
demo_sweep_file "$work/sweep.ini" "$work/sweep" "$work/posts.csv" "0, 1" 2 10
(cd "$src" && . scripts/env.sh && "$build/3mhealth" sweep "$work/sweep.ini" --submit \
   --sbatch-args "--output=$work/sweep-%A_%a.out") > "$work/submit.txt"
cat "$work/submit.txt"
array=$(sed -n 's/^sweep: job array \([0-9]*\) (2 runs.*/\1/p' "$work/submit.txt")
[ -n "$array" ] || { echo "no job array submitted"; exit 1; }
for _ in $(seq 900); do
  [ -f "$work/sweep/report.md" ] && [ -z "$(squeue -h -o %i)" ] && break
  sleep 0.2
done
grep -q "^| csv | student text+audio | 2 |" "$work/sweep/report.md" ||
  { cat "$work/sweep/report.md" "$work"/sweep-*.out 2>/dev/null | tail -n 40; echo "the sweep's report lacks 2 seeds"; exit 1; }
grep -q "3mhealth sweep .* --index 1" "$work/sweep-${array}_1.out" || { echo "array task 1 did not run index 1"; exit 1; }
echo "slurm pipeline ok"
