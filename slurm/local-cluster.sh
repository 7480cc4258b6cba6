#!/usr/bin/env bash
# A single-node Slurm on this machine, for tests: munged, slurmctld and slurmd
# with every file (keys, config, state, logs, sockets) in one directory, on
# their own ports, so they touch nothing of a real installation.
#   slurm/local-cluster.sh start DIR   # prints `export SLURM_CONF=DIR/slurm.conf`
#   slurm/local-cluster.sh stop DIR    # stops the three daemons by their PIDs
# Debian 12 packages: slurmctld slurmd slurm-client munge (scripts/install-deps.sh).
set -euo pipefail
cmd=${1:?usage: local-cluster.sh start|stop DIR}
dir=$(mkdir -p "${2:?usage: local-cluster.sh start|stop DIR}" && cd "$2" && pwd)

stop() {
  local name pid
  for name in slurmd slurmctld munged; do
    [ -f "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/$name.pid"
  done
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq $((seconds * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "local-cluster: $what did not come up within ${seconds}s; logs in $dir" >&2
  tail -n 20 "$dir"/*.log >&2 || true
  stop
  exit 1
}

case "$cmd" in
stop) stop; exit 0 ;;
start) ;;
*) echo "usage: local-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac

stop  # a previous cluster in the same directory
mkdir -p "$dir/state" "$dir/spool"
host=$(hostname -s)
user=$(id -un)
# Ports of our own (not Slurm's 6817/6818), different for each directory.
base=$((20000 + $(cksum <<<"$dir" | cut -d' ' -f1) % 20000))

# munge: a fresh key; munged wants it private to the user running it.
[ -f "$dir/munge.key" ] || dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none
chmod 600 "$dir/munge.key"
munged --force --key-file="$dir/munge.key" --socket="$dir/munge.sock" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munged.seed"
wait_for 10 munged munge --socket="$dir/munge.sock" -n

# The node's CPUs, sockets, cores and memory as slurmd itself sees them.
node=$(slurmd -C | head -n 1 | sed "s/^NodeName=[^ ]*/NodeName=$host NodeAddr=127.0.0.1/")
cat >"$dir/slurm.conf" <<EOF
ClusterName=mhlocal
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobRequeue=1
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SlurmctldTimeout=30
SlurmdTimeout=30
$node State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

export SLURM_CONF="$dir/slurm.conf"
slurmctld -i -f "$SLURM_CONF"
wait_for 20 slurmctld scontrol ping
slurmd -f "$SLURM_CONF"
wait_for 30 "slurmd (node $host idle)" bash -c "sinfo -h -N -o %t | grep -qE '^(idle|mix|alloc)'"
echo "export SLURM_CONF=$SLURM_CONF"
