#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for trying `ecoinfer study slurm` and for its test
# (docs/slurm.md). Needs Debian's slurm-wlm and munge (scripts/install-deps.sh).
#
#   scripts/slurm-local.sh start [STATE_DIR]   # writes the config, starts munged, slurmctld, slurmd
#   eval "$(scripts/slurm-local.sh env [STATE_DIR])"   # SLURM_CONF for sbatch, squeue, sinfo ...
#   scripts/slurm-local.sh stop [STATE_DIR]    # cancels the jobs left, stops the three daemons
#
# Everything lives in STATE_DIR (default $ECOINFER_SLURM_DIR or /tmp/ecoinfer-slurm-$UID):
# slurm.conf, the munge key and socket, spool and state folders, logs and pid files. Nothing
# in /etc is touched, and every daemon runs as the calling user, so root is not needed and
# two clusters (two CI builds, two users) can coexist: each picks its own free ports.
set -euo pipefail

cmd=${1:-}
dir=${2:-${ECOINFER_SLURM_DIR:-/tmp/ecoinfer-slurm-$(id -u)}}
case "$cmd" in start | stop | env | status) ;; *)
  echo "usage: $0 start|stop|env|status [STATE_DIR]" >&2
  exit 2
  ;;
esac
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
conf=$dir/slurm.conf
export SLURM_CONF=$conf

# A pid from a pid file, if that process is still alive.
alive_pid() {
  local f=$1 pid
  [ -s "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Stops the process of a pid file (SIGTERM, then SIGKILL after 15 s).
stop_pid() {
  local f=$1 name=$2 pid i
  pid=$(alive_pid "$f") || { rm -f "$f"; return 0; }
  kill "$pid" 2>/dev/null || true
  for i in $(seq 150); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$f"; return 0; }
    sleep 0.1
  done
  echo "slurm-local: $name (pid $pid) ignored SIGTERM for 15 s; killing it" >&2
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$f"
}

stop_cluster() {
  if alive_pid "$dir/slurmctld.pid" >/dev/null; then
    # Jobs still queued or running would leave slurmstepd processes behind the daemons.
    scancel --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 100); do
      [ -z "$(squeue --noheader --user="$(id -un)" 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop_pid "$dir/slurmd.pid" slurmd
  stop_pid "$dir/slurmctld.pid" slurmctld
  stop_pid "$dir/munged.pid" munged
}

# The first port at or above $1 where nothing listens, with the next one free too.
free_port_pair() {
  local p=$1 used
  used=$( (ss -Hltn 2>/dev/null || true) | awk '{print $4}' | sed 's/.*://' | sort -u)
  while grep -qx "$p" <<<"$used" || grep -qx "$((p + 1))" <<<"$used"; do p=$((p + 2)); done
  echo "$p"
}

case "$cmd" in
env)
  echo "export SLURM_CONF=$(printf '%q' "$conf")"
  exit 0
  ;;
status)
  for d in munged slurmctld slurmd; do
    if pid=$(alive_pid "$dir/$d.pid"); then echo "$d: running (pid $pid)"; else echo "$d: not running"; fi
  done
  [ -f "$conf" ] && sinfo -N 2>&1 || true
  exit 0
  ;;
stop)
  stop_cluster
  echo "slurm-local: stopped the cluster of $dir"
  exit 0
  ;;
esac

# ---- start --------------------------------------------------------------------------------
for tool in munged mungekey slurmctld slurmd sinfo sbatch; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
    echo "slurm-local: $tool is not installed (Debian: apt-get install slurm-wlm munge; see scripts/install-deps.sh)" >&2
    exit 1
  }
done
export PATH=$PATH:/usr/sbin
# A clean start: daemons of an earlier start of this folder are stopped, state and jobs wiped.
stop_cluster
rm -rf "$dir/state" "$dir/spool" "$dir/munge" "$dir"/*.log
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
# munged requires every folder above its socket to be searchable by all (mktemp -d makes 0700).
chmod 755 "$dir" "$dir/munge"
user=$(id -un)
node=$(hostname -s)

# munge: a fresh key for this cluster only, and a socket in the state folder.
mungekey --create --keyfile="$dir/munge/munge.key" --force
chmod 600 "$dir/munge/munge.key"
munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed"

# CPUs, sockets, cores and RealMemory as slurmd itself measures them: a node configured with
# more than it has would be drained ("Low RealMemory").
hw=$(slurmd -C 2>/dev/null | head -1 | sed 's/^NodeName=[^ ]* //')
[ -n "$hw" ] || hw="CPUs=$(nproc) RealMemory=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024))"
port=$(free_port_pair "${ECOINFER_SLURM_PORT:-16817}")

cat >"$conf" <<EOF
# One-node cluster written by scripts/slurm-local.sh for $dir. Not for production.
ClusterName=ecoinfer-local
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
# No cgroups: proctrack/cgroup and task/cgroup need a delegated cgroup tree (systemd's, on
# Debian 12's cgroup v2), which a container without systemd does not give. proctrack/linuxproc
# finds a job's processes through /proc's parent links instead (scancel and time limits reach
# every process the job started); task/none binds no CPUs, which a node shared with a build
# should not do anyway.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No slurmdbd: sacct has nothing to read. ecoinfer study status says so and falls back on the
# tasks' own records (docs/slurm.md); a real cluster keeps accounting.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# The daemons run as $user; propagating the submitter's limits would need root.
PropagateResourceLimits=NONE
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
KillWait=15
MinJobAge=600
MpiDefault=none
MailProg=/bin/true
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -f "$conf"
slurmd -f "$conf"

# Ready when the node is idle (slurmd registered and nothing runs).
for i in $(seq 300); do
  state=$(sinfo --noheader --Node --format='%T' 2>/dev/null | head -1 || true)
  [ "$state" = idle ] && break
  if [ "$i" = 300 ]; then
    echo "slurm-local: the node did not become idle within 60 s (state '${state:-none}'); logs:" >&2
    tail -n 20 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
    stop_cluster
    exit 1
  fi
  sleep 0.2
done
echo "slurm-local: node $node idle (ports $port-$((port + 1)), state in $dir)"
echo "export SLURM_CONF=$(printf '%q' "$conf")"
