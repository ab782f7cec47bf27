#!/usr/bin/env bash
# What the engine is doing, for when a run failed or stopped answering: whether each kind of call
# answers and how fast, the machine's load, memory and disk, and, for a dockerd that
# scripts/engine-up.sh started, a summary of its goroutines (where they wait, most frequent first;
# waits of a minute or more on a lock point at a deadlocked engine) and its last log lines.
# It changes nothing: SIGUSR1 only makes dockerd write its stacks to a file and go on.
#
# Usage: scripts/engine-diagnose.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
no_arguments "$@"

# How long one call of the engine took, or that it did not answer within 20 s.
probe() {
  local start=$SECONDS status=0
  timeout --kill-after=5 20 "$docker_cli" "$@" >/dev/null 2>&1 || status=$?
  if ((status == 0)); then
    echo "answered in $((SECONDS - start)) s"
  elif ((status == 124 || status == 137)); then
    echo "NO ANSWER within 20 s"
  else
    echo "failed (exit $status) after $((SECONDS - start)) s"
  fi
}

say "engine: $docker_cli"
for call in "version" "ps --all --quiet" "network ls --quiet" "volume ls --quiet" "image ls --quiet"; do
  # shellcheck disable=SC2086  # each call is its words
  say "  $call: $(probe $call)"
done
say "machine: load $(cut -d' ' -f1-3 /proc/loadavg); memory $(awk '/^MemAvailable/ { print int($2 / 1024) " MiB available" }' /proc/meminfo);" \
  "disk $(df -h --output=avail,target /var/lib 2>/dev/null | awk 'NR == 2 { print $1 " free on " $2 }')"

if engine_is_podman || [[ ! -f $dockerd_pid_file ]]; then
  exit 0
fi
pid=$(<"$dockerd_pid_file")
if [[ $(cat "/proc/$pid/comm" 2>/dev/null) != dockerd ]]; then
  say "no dockerd behind $dockerd_pid_file (pid $pid)."
  exit 0
fi
lines_before=$(wc -l <"$dockerd_log")
kill -USR1 "$pid"
dump=""
for ((i = 0; i < 50 && ${#dump} == 0; i++)); do
  sleep 0.2
  dump=$(tail -n +"$((lines_before + 1))" "$dockerd_log" | sed -n 's/.*goroutine stacks written to \([^" ]*\).*/\1/p' | head -n 1)
done
if [[ -n $dump && -f $dump ]]; then
  say "dockerd (pid $pid): $(grep -c '^goroutine ' "$dump") goroutines; where they wait (count, state, first frame outside Go's runtime), full dump in $dump:"
  # Each goroutine: its state without the wait time, and the first function outside the runtime,
  # sync and I/O packages, i.e. the daemon's own call that waits.
  awk '
    /^goroutine / { state = $0; sub(/^goroutine [0-9]+ \[/, "", state); sub(/\]:$/, "", state)
                    long = (state ~ /minutes/) ? " (a minute or more)" : ""; sub(/,.*$/, "", state); frame = ""; next }
    /^$/ { if (state != "") print state long "\t" (frame == "" ? "(Go runtime and I/O only)" : frame); state = ""; next }
    state != "" && frame == "" && !/^\t/ && !/^(runtime|sync|internal|net|io|bufio|syscall|os|created by|github.com\/moby\/locker)[.\/ ]/ {
      frame = $0; sub(/\((0x[^()]*|\.\.\.)?\)$/, "", frame) }
    END { if (state != "") print state long "\t" frame }' "$dump" | sort | uniq -c | sort -rn | head -n 15 | sed 's/^/  /' >&2
  stuck=$(grep -cE '^goroutine [0-9]+ \[(semacquire|sync\.(RW)?Mutex\.R?Lock)[^]]*minutes' "$dump" || true)
  if ((stuck > 0)); then
    say "$stuck goroutine(s) have waited a minute or more for a lock: the engine looks deadlocked; restart it (kill $pid, then scripts/engine-up.sh)."
  fi
else
  say "dockerd (pid $pid) wrote no goroutine dump within 10 s."
fi
say "dockerd's log ($dockerd_log), last 15 lines:"
tail -n 15 "$dockerd_log" | cut -c1-300 | sed 's/^/  /' >&2
