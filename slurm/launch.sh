# Sourced by the sbatch scripts of this folder: `mh_launch ARGS...` runs
# `3mhealth ARGS...` on every task of the job and handles preemption.
#  - Launcher: `srun --mpi=pmix` where Slurm has the PMIx plugin, else `mpirun`
#    (Open MPI reads the allocation from Slurm's environment).
#  - Threads: OMP/OpenBLAS/MKL get --cpus-per-task each, so ranks do not fight.
#  - Preemption and time limits: on SIGTERM (preemption; Slurm requeues jobs
#    submitted with --requeue) or SIGUSR1 (sent by `--signal=B:USR1@SECONDS`
#    before the time limit) the ranks get SIGTERM, checkpoint and exit 0; on
#    SIGUSR1 the job then requeues itself. The next start resumes (--resume
#    is passed by the scripts; stages already done are skipped by their hash).
# Paths: the repository is $MH_ROOT, else the directory sbatch was called from
# (Slurm runs a copy of the script, so its own location says nothing); the
# binary is $MH_BIN, else $MH_ROOT/build/3mhealth.
mh_root=${MH_ROOT:-${SLURM_SUBMIT_DIR:-$PWD}}
mh_bin=${MH_BIN:-$mh_root/build/3mhealth}
cd "$mh_root"
threads=${SLURM_CPUS_PER_TASK:-1}
export OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
# Open MPI refuses to run as root without these (containers, test clusters).
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi

mh_launcher() {
  if command -v srun >/dev/null && srun --mpi=list 2>&1 | grep -qw pmix; then
    echo srun --mpi=pmix --kill-on-bad-exit=1
  else
    echo mpirun -np "${SLURM_NTASKS:-1}"
  fi
}

# SIGTERM to the ranks themselves: srun answers a SIGTERM of its own by
# killing the step, which would lose the work since the last epoch's checkpoint.
mh_stop_ranks() {
  if [ -n "${SLURM_JOB_ID:-}" ] && [[ "$(mh_launcher)" == srun* ]]; then
    scancel --signal=TERM "$SLURM_JOB_ID"  # the job's steps, not this shell
  else
    kill -TERM "$1" 2>/dev/null || true   # mpirun forwards it to the ranks
  fi
}

mh_launch() {
  [ -x "$mh_bin" ] || { echo "$mh_bin: not built (bash scripts/build.sh), or set MH_BIN" >&2; return 1; }
  local launcher requeue=0 status
  launcher=$(mh_launcher)
  echo "$(date -Is) job ${SLURM_JOB_ID:-?}${SLURM_ARRAY_TASK_ID:+[$SLURM_ARRAY_TASK_ID]} start ${SLURM_RESTART_COUNT:-0}:" \
    "$launcher $mh_bin $*" >&2
  $launcher "$mh_bin" "$@" &
  local pid=$!
  trap 'requeue=0; mh_stop_ranks $pid' TERM
  trap 'requeue=1; mh_stop_ranks $pid' USR1
  # `wait` returns early when a trapped signal arrives: wait again until the
  # launcher itself has ended (the ranks are writing their checkpoints).
  while true; do
    wait $pid && status=0 || status=$?
    kill -0 $pid 2>/dev/null || break
  done
  if [ $requeue = 1 ] && [ -n "${SLURM_JOB_ID:-}" ]; then
    echo "$(date -Is) time limit near: checkpointed; requeueing job $SLURM_JOB_ID" >&2
    scontrol requeue "$SLURM_JOB_ID"  # an array task's own job id: only this task
  fi
  return $status
}
