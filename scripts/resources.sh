#!/usr/bin/env bash
# Lists this project's test sessions on the engine (containers, networks, volumes that carry the
# agents-runner.session label), each with its owner's host, its age and its liveness (on standard
# error), then their resources (standard output: KIND NAME SESSION TEST KEPT, tab-separated); on
# request removes those of dead sessions. Anything without that label is never listed
# or touched, whatever its name.
#
# Liveness: live or dead, from the engine itself, for a session that holds a lease (its lease
# container runs, or is gone); for one without a lease (older versions, lease turned off, podman):
# dead when its expiry has passed or its owner ran here (this host name, boot and pid namespace) and
# its process is gone, live when that process runs, and unknown otherwise.
#
# Usage: scripts/resources.sh [--session ID] [--remove [--all]]
#   --session ID   only that test session's resources (default: every session's)
#   --remove       remove the resources of dead sessions (containers with their anonymous volumes,
#                  then networks, then volumes); a leased session without its lease is looked at again
#                  after 5 s first (a live one takes its lease out again after an engine restart)
#   --all          with --remove: remove every listed session's, live and unknown ones too
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

session="" remove=0 all=0
while (($#)); do
  case $1 in
    --session) (($# >= 2)) || { say "--session needs an id"; exit 2; }; session=$2; shift 2 ;;
    --remove) remove=1; shift ;;
    --all) all=1; shift ;;
    -h | --help) help_text; exit 0 ;;
    *) say "unknown option '$1' (see --help)"; exit 2 ;;
  esac
done
filter="label=$label_session${session:+=$session}"
keys=("$label_session" "$label_test" "$label_keep" "$label_owner_host" "$label_created" "$label_leased" "$label_lease"
  "$label_expires" "$label_owner_boot" "$label_owner_pidns" "$label_owner_pid")
columns() {
  local key out=""
  for key in "${keys[@]}"; do out+=$'\t'$(label_template "$1" "$key"); done
  printf '%s' "$out"
}

# Listed into variables first: a failed listing then stops the script instead of reading as "none".
# Each row: KIND NAME SESSION TEST KEPT HOST CREATED LEASED LEASE EXPIRES BOOT PIDNS PID, tab-separated.
list_all() {
  local containers networks volumes
  containers=$(docker_bounded ps --all --filter "$filter" --format "{{.Names}}$(columns container)")
  networks=$(docker_bounded network ls --filter "$filter" --format "{{.Name}}$(columns network)")
  volumes=$(docker_bounded volume ls --filter "$filter" --format "{{.Name}}$(columns volume)")
  { printf '%s\n' "$containers" | sed '/^$/d; s/^/container\t/'
    printf '%s\n' "$networks" | sed '/^$/d; s/^/network\t/'
    printf '%s\n' "$volumes" | sed '/^$/d; s/^/volume\t/'; } | sed 's/<no value>//g'
}
# The sessions whose lease container runs (or is being created), one per line.
live_leases() {
  local list
  list=$(docker_bounded ps --all --filter "label=$label_lease=true" --format "$(label_template container "$label_session")"$'\t''{{.State}}')
  printf '%s\n' "$list" | awk -F'\t' 'tolower($2) ~ /^(created|running|paused|restarting|up)/ { print $1 }' | sort -u
}

rows=$(list_all)
leases=$(live_leases)
now=$(date +%s) my_host=$(hostname) my_boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || true) my_pidns=$(readlink /proc/self/ns/pid 2>/dev/null || true)

# One line per session: SESSION|HOST|CREATED|LEASED|EXPIRES|BOOT|PIDNS|PID|COUNT (the earliest
# creation time, and "true" when any of its resources is leased or is its lease).
sessions() {
  printf '%s\n' "$rows" | sed '/^$/d' | awk -F'\t' -v OFS='|' '
    { s = $3; n[s]++
      if ($6 != "" && host[s] == "") host[s] = $6
      if ($7 != "" && (created[s] == "" || $7 < created[s])) created[s] = $7
      if ($8 == "true" || $9 == "true") leased[s] = "true"
      if ($10 != "") expires[s] = $10
      if ($11 != "") boot[s] = $11
      if ($12 != "") pidns[s] = $12
      if ($13 != "") pid[s] = $13 }
    END { for (s in n) print s, host[s], created[s], leased[s], expires[s], boot[s], pidns[s], pid[s], n[s] }' | sort
}

# live, dead or unknown, for: LEASED EXPIRES HOST BOOT PIDNS PID SESSION.
liveness() {
  local leased=$1 expires=$2 host=$3 boot=$4 pidns=$5 pid=$6 id=$7 expiry
  if [[ $leased == true ]]; then
    grep -qxF -- "$id" <<<"$leases" && echo live || echo dead
    return
  fi
  expiry=$(date -d "$expires" +%s 2>/dev/null || echo "")
  if [[ -n $expiry ]] && ((expiry < now)); then echo dead; return; fi
  if [[ -n $host && $host == "$my_host" && -n $boot && $boot == "$my_boot" && -n $pidns && $pidns == "$my_pidns" && $pid =~ ^[0-9]+$ ]]; then
    [[ -d /proc/$pid ]] && echo live || echo dead
    return
  fi
  echo unknown
}

age() {
  local at
  at=$(date -d "$1" +%s 2>/dev/null) || { echo "?"; return; }
  local s=$((now - at))
  if ((s < 120)); then echo "${s}s"; elif ((s < 7200)); then echo "$((s / 60))m"; else echo "$((s / 3600))h"; fi
}

# The sessions go to standard error, for a person; standard output keeps its one table of resources,
# which other scripts read.
declare -A state=() is_leased=()
printf 'SESSION\tHOST\tAGE\tLIVENESS\tRESOURCES\n' >&2
while IFS='|' read -r id host created leased expires boot pidns pid count; do
  [[ -n $id ]] || continue
  state[$id]=$(liveness "$leased" "$expires" "$host" "$boot" "$pidns" "$pid" "$id") is_leased[$id]=$leased
  printf '%s\t%s\t%s\t%s\t%s\n' "$id" "${host:-?}" "$(age "$created")" "${state[$id]}${leased:+ (leased)}" "$count" >&2
done < <(sessions)
printf 'KIND\tNAME\tSESSION\tTEST\tKEPT\n'
printf '%s\n' "$rows" | sed '/^$/d' | cut -f1-5
total=$(printf '%s\n' "$rows" | sed '/^$/d' | wc -l)
say "$total found in ${#state[@]} session(s)"

((remove && total > 0)) || exit 0
chosen=()
for id in "${!state[@]}"; do
  if ((all)) || [[ ${state[$id]} == dead ]]; then chosen+=("$id"); fi
done
# A leased session without its lease may be renewing it (an engine restart ends every lease): look again.
look_again=0
for id in "${chosen[@]}"; do [[ ${is_leased[$id]} != true ]] || look_again=1; done
if ((!all && look_again)); then
  sleep 5
  leases=$(live_leases)
  mapfile -t chosen < <(for id in "${chosen[@]}"; do grep -qxF -- "$id" <<<"$leases" || printf '%s\n' "$id"; done)
fi
if ((${#chosen[@]} == 0)); then
  say "no dead session to remove (--all removes live and unknown ones too)"
  exit 0
fi
say "removing the resources of ${#chosen[@]} session(s): ${chosen[*]}"
names_of() { printf '%s\n' "$rows" | awk -F'\t' -v kind="$1" 'NR == FNR { want[$1] = 1; next } $1 == kind && want[$3] { print $2 }' <(printf '%s\n' "${chosen[@]}") -; }
# Podman: --time 0 (its rm --force waits 10 s for SIGTERM), and one name per call (podman 4.3's rm
# of several names removes none when one is gone).
rm_containers=(rm --force --volumes) per_call=(-n 16 -P 4)
if engine_is_podman; then rm_containers+=(--time 0) per_call=(-n 1 -P 4); fi
names_of container | xargs -r "${per_call[@]}" timeout --kill-after=10 "$docker_call_limit" "$docker_cli" "${rm_containers[@]}" >/dev/null
names_of network | xargs -r "${per_call[@]}" timeout --kill-after=10 "$docker_call_limit" "$docker_cli" network rm >/dev/null
names_of volume | xargs -r "${per_call[@]}" timeout --kill-after=10 "$docker_call_limit" "$docker_cli" volume rm >/dev/null
left=0
for id in "${chosen[@]}"; do
  f="label=$label_session=$id"
  left=$((left + $( { docker_bounded ps --all --quiet --filter "$f"; docker_bounded network ls --quiet --filter "$f"; docker_bounded volume ls --quiet --filter "$f"; } | wc -l)))
done
if ((left > 0)); then
  say "$left resource(s) could not be removed; see the errors above."
  exit 1
fi
say "removed the resources of ${#chosen[@]} session(s)."
