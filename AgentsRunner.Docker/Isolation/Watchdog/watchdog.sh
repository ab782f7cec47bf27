#!/bin/sh
# The crash reaper of one test session (POSIX sh; started by CrashReaper, detached from the test host).
# Arguments: DOCKER SESSION LOG OUTAGE_SECONDS. Standard input: a pipe whose write end only the test
# host holds. The host writes "track KIND NAME" for each resource its tests create, "keep NAME" for each
# one it keeps for debugging, and "end" when its session ended normally: then this exits and touches
# nothing. End of file without "end" means the host died (SIGKILL, crash, exit without ending the
# session): every resource labelled with the session or tracked by it (a test's deliberately foreign
# one, say), but the kept ones, is removed (containers, in batches of 8 at once, then networks and
# volumes at once; the three listings at once too), and removal is confirmed by listings of the
# session's label that find nothing. On podman (its --version says so),
# containers are removed with --time 0 (its rm --force waits 10 s for SIGTERM otherwise), one id per
# call, all at once (podman 4.3's rm of several ids removes none when one is gone), volumes without
# --force (which on podman would remove the containers using them), listings may take 30 s (15 s on
# docker, whose listings slow down under load too), and removals 3 minutes (60 s on docker): podman's
# network rm takes the lock of every container on the engine in turn, so it queues behind each start.
docker=$1 session=$2 log=$3 outage=$4
exec >>"$log" 2>&1
trap '' HUP INT PIPE
say() { printf '%s watchdog of session %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ | cut -c1-23)Z" "$session" "$*"; }
say "pid $$ watching test host pid $PPID"

kept=" " tracked=""
while IFS= read -r line; do
  case $line in
    "track "*) tracked="$tracked${line#track }
" ;;
    "keep "*) kept="$kept${line#keep } " ;;
    end) say "the session ended normally; nothing to remove"; exit 0 ;;
  esac
done

say "the test host is gone without ending its session: removing what is labelled with it"
filter="label=agents-runner.session=$session"
# Prints the first field (id) of each "ID NAME" line whose name was not kept.
unkept() { while read -r id name; do case $kept in *" $name "*) ;; *) printf '%s\n' "$id" ;; esac; done; }
# Prints, as "NAME NAME" lines, the tracked resources of kind $1.
# except_missing COMMAND...: runs it, logging its errors but those about an object that is not there
# (a tracked resource its test already removed is no news); any other failure is still written down.
except_missing() {
  errors=$(mktemp)
  "$@" 2>"$errors"
  grep -viE 'no such|not found|no container with name' "$errors" || true
  rm -f "$errors"
}
tracked_of() { printf '%s' "$tracked" | while read -r kind name; do [ "$kind" != "$1" ] || printf '%s %s\n' "$name" "$name"; done; }
# remove VERB... -- IDS: one docker call for all of IDS (a newline-separated list); counts what it removed.
remove() {
  verb=""
  while [ "$1" != -- ]; do verb="$verb $1"; shift; done
  [ -n "$2" ] || return 0
  # Word splitting of the verb and of the id list is intended.
  # shellcheck disable=SC2086
  out=$(bounded "$remove_limit" "$docker" $verb $2) || say "could not remove all of:" $2 "(the next round tries again)"
  count=$(printf '%s\n' "$out" | grep -c .)
  removed=$((removed + count))
  # shellcheck disable=SC2086
  [ "$count" -eq 0 ] || say "removed:" $out
}
# remove_each VERB... -- IDS: IDS in batches of $batch_size, one call per batch, all batches at once:
# one docker rm -f of 30 containers on a busy engine took seconds, several smaller ones at once take
# less. Podman's batch is 1 (podman 4.3's rm of several ids removes none when one is gone). Each batch
# runs in a subshell whose exit status is how many it removed.
remove_each() {
  each_verb=""
  while [ "$1" != -- ]; do each_verb="$each_verb $1"; shift; done
  pids="" chunk="" n=0
  for id in $2; do
    chunk="$chunk $id" n=$((n + 1))
    if [ "$n" -ge "$batch_size" ]; then start_batch; fi
  done
  [ -z "$chunk" ] || start_batch
  for pid in $pids; do
    wait "$pid"
    count=$?
    # shellcheck disable=SC2031
    [ "$count" -gt "$batch_size" ] || removed=$((removed + count))
  done
}
start_batch() {
  # The subshell's count is its own on purpose: its exit status carries it.
  # shellcheck disable=SC2030,SC2086
  (removed=0; remove $each_verb -- "$chunk"; exit "$removed") &
  pids="$pids $!" chunk="" n=0
}
# in_parallel OUT_A OUT_B OUT_C: the session's three listings at once, into those files; fails when one did.
in_parallel() {
  bounded "$list_limit" "$docker" ps --all --no-trunc --filter "$filter" --format '{{.ID}} {{.Names}}' >"$1" & l1=$!
  bounded "$list_limit" "$docker" network ls --no-trunc --filter "$filter" --format '{{.ID}} {{.Name}}' >"$2" & l2=$!
  bounded "$list_limit" "$docker" volume ls --filter "$filter" --format '{{.Name}} {{.Name}}' >"$3" & l3=$!
  listed=0
  wait "$l1" || listed=1
  wait "$l2" || listed=1
  wait "$l3" || listed=1
  return "$listed"
}
# bounded SECONDS COMMAND...: a hung call cannot hold up the removal (a listing takes milliseconds,
# removing many containers seconds).
bounded() {
  limit=$1
  shift
  if command -v timeout >/dev/null 2>&1; then timeout "$limit" "$@"; else "$@"; fi
}

# disconnect_stale NETWORK_IDS: dockerd can keep the endpoint of a container it removed (its network
# teardown races under load); `network rm` then says "has active endpoints" though no container is
# left, for good. An endpoint whose container the engine no longer knows is disconnected by its name
# (the one handle dockerd accepts for it); a live container's endpoint is never touched.
disconnect_stale() {
  [ "$stale_endpoints" = yes ] || return 0
  for net in $1; do
    # The template's $ are Go's, not the shell's.
    # shellcheck disable=SC2016
    bounded "$list_limit" "$docker" network inspect --format '{{range $id, $c := .Containers}}{{$id}} {{$c.Name}}{{println}}{{end}}' "$net" |
      while read -r id name; do
        [ -n "$name" ] || continue
        # Stderr alone is kept: a look-up that fails for another reason (a busy engine) proves nothing.
        if missing=$(bounded "$list_limit" "$docker" container inspect --format '{{.Id}}' "$id" 2>&1 >/dev/null); then continue; fi
        case $missing in
          *[Nn]"o such"*) ;;
          *) say "could not tell whether the container $id of a network $net endpoint is gone: $missing" && continue ;;
        esac
        if bounded 60 "$docker" network disconnect --force "$net" "$name" >/dev/null; then
          say "disconnected a stale endpoint from network $net: $name (its container $id is gone)"
        fi
      done
  done
}

case $(bounded 5 "$docker" --version 2>/dev/null) in
  podman*) rm_containers="rm --force --volumes --time 0" rm_volumes="volume rm" batch_size=1 list_limit=30 remove_limit=180 stale_endpoints=no ;;
  *) rm_containers="rm --force --volumes" rm_volumes="volume rm --force" batch_size=8 list_limit=15 remove_limit=60 stale_endpoints=yes ;;
esac

started=$(date +%s) removed=0
lists=$(mktemp -d)
trap 'rm -rf "$lists"' EXIT
# The containers the host told of are removed at once, while the first listings run (those already
# removed are not found: their errors are not news); the first round then leaves them out, and the
# networks they joined go once they are gone. Tracked networks and volumes go after the session's own.
tracked_containers=$(tracked_of container | unkept)
printf '%s\n' "$tracked_containers" >"$lists/tracked-names"
# The subshell's count is its own on purpose: a file carries it.
# shellcheck disable=SC2030,SC2086
(removed=0; except_missing remove_each $rm_containers -- "$tracked_containers"; echo "$removed" >"$lists/tracked-count") &
tracked_removal=$!
# Once the engine holds nothing of the session, it is watched a while longer: a docker call the host had
# in flight when it died (a create waiting on a busy engine) may still land.
grace=${AGENTS_RUNNER_WATCHDOG_GRACE:-10}
rounds=0 clear=0 clear_since=0 answered=$started
while :; do
  now=$(date +%s)
  # Clear for the whole grace period, and for three listings at least (the clock counts whole seconds).
  if [ "$clear" -ge 3 ] && [ $((now - clear_since)) -ge "$grace" ]; then
    break
  fi
  # An outage's length, plus one removal's bound: a slow removal that succeeded is not given up on.
  if [ "$clear" = 0 ] && [ $((now - started)) -gt $((outage + remove_limit)) ]; then
    say "GAVE UP after $((now - started)) s: the engine did not answer, or still holds resources of the session"
    exit 1
  fi
  rounds=$((rounds + 1))
  if ! in_parallel "$lists/containers" "$lists/networks" "$lists/volumes"; then
    # However far the removal got: an engine (or CLI) silent past the outage window is given up on.
    if [ $((now - answered)) -gt "$outage" ]; then
      say "GAVE UP after $((now - started)) s: the engine has not answered for $((now - answered)) s"
      exit 1
    fi
    say "the engine did not answer; trying again"
    sleep 0.3
    continue
  fi
  answered=$now
  if [ -n "$tracked_removal" ]; then
    wait "$tracked_removal"
    # shellcheck disable=SC2031
    removed=$((removed + $(cat "$lists/tracked-count" 2>/dev/null || echo 0))) tracked_removal=""
    awk 'NR == FNR { gone[$1] = 1; next } !($2 in gone)' "$lists/tracked-names" "$lists/containers" >"$lists/untracked"
    mv "$lists/untracked" "$lists/containers"
  fi
  containers=$(unkept <"$lists/containers")
  networks=$(unkept <"$lists/networks")
  volumes=$(unkept <"$lists/volumes")
  if [ -z "$containers$networks$volumes" ]; then
    if [ "$clear" = 0 ]; then
      say "the engine holds nothing of the session ($removed removed); watching $grace s more for creates still in flight"
      clear_since=$now
    fi
    clear=$((clear + 1))
    sleep 0.5
    continue
  fi
  [ "$clear" = 0 ] || say "a create that was in flight landed"
  clear=0
  # Containers first, in batches at once; then networks and volumes, at once (neither holds the
  # other); what a call could not remove, the next round does.
  # shellcheck disable=SC2086
  remove_each $rm_containers -- "$containers"
  # A network still here when none of the session's containers is may be held by a stale endpoint.
  [ -n "$containers" ] || disconnect_stale "$networks"
  # The subshell's count is its own on purpose: its exit status carries it.
  # shellcheck disable=SC2030
  (removed=0; remove_each network rm -- "$networks"; exit "$removed") & networks_removal=$!
  # shellcheck disable=SC2086
  remove_each $rm_volumes -- "$volumes"
  wait "$networks_removal"
  # shellcheck disable=SC2031
  removed=$((removed + $?))
done
except_missing remove_each network rm -- "$(tracked_of network | unkept)"
# Without --force, which would print the name of a volume that is not there as if removed.
except_missing remove_each volume rm -- "$(tracked_of volume | unkept)"
say "done: removed $removed resource(s) in $rounds round(s); the engine holds nothing of the session (kept:${kept% })"
