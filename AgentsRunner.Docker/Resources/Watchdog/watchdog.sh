#!/bin/sh
# The crash reaper of one test session (POSIX sh; started by CrashReaper, detached from the test host).
# Arguments: DOCKER SESSION LOG OUTAGE_SECONDS. Standard input: a pipe whose write end only the test
# host holds, on which the host keeps its plan (WatchdogPlan) current: what to run if it dies. This
# knows no docker command of its own; it runs the plan's. A line is a verb and its fields, separated
# by the ASCII unit separator (0x1F), so that a field may hold spaces; a WORD... is a command's words.
#   grace SECONDS           how long to watch, once the engine holds nothing of the session, for creates
#   batch N                 how many objects one removal call may name
#   limits LIST REMOVE      the time limits, in seconds, of a listing and of a removal call
#   missing TEXT...         what an error says of an object that is not there
#   list STAGE WORD...      lists the session's objects of a stage, as "ID NAME" lines
#   remove STAGE WORD...    removes objects of a stage, whose ids follow the words
#   endpoints STAGE WORD... prints "ID NAME" per endpoint of the object (of STAGE) that follows
#   alive WORD...           looks up the endpoint's id that follows: fails, saying missing, once it is gone
#   detach WORD...          disconnects, from the object that follows, the endpoint named after it
#   track STAGE NAME WORD... a resource the host created: its removal's command line, its object last
#   drop STAGE NAME WORD... that resource's removal was confirmed: it is forgotten
#   keep NAME               a resource kept for debugging: never removed
#   end                     the session ended normally: this exits and touches nothing
# End of file without "end" means the host died (SIGKILL, crash, exit without ending the session):
# what it tracked (a test's deliberately foreign resource, say) and every object the listings find,
# but the kept ones, is removed: the first stage first, in batches at once, then the other stages at
# once (the listings at once too); removal is confirmed by listings that find nothing.
docker=$1 session=$2 log=$3 outage=$4
exec >>"$log" 2>&1
trap '' HUP INT PIPE
set -f
us=$(printf '\037')
nl='
'
ws=" 	$nl"
IFS=$ws
say() { printf '%s watchdog of session %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ | cut -c1-23)Z" "$session" "$*"; }
say "pid $$ watching test host pid $PPID"

kept=$us tracked="" listings="" removals="" endpoints="" alive="" detach="" missing=""
grace="" batch_size="" list_limit="" remove_limit="" stages=""
# forget LINE: drops LINE (a tracked resource's) from $tracked.
forget() {
  all=$nl$tracked
  case $all in
    *"$nl$1$nl"*) all="${all%%"$nl$1$nl"*}$nl${all#*"$nl$1$nl"}" tracked=${all#"$nl"} ;;
  esac
}
# lines_of FIELDS: prints each field of FIELDS on a line of its own.
lines_of() {
  IFS=$us
  # shellcheck disable=SC2086
  set -- $1
  IFS=$ws
  [ "$#" -eq 0 ] || printf '%s\n' "$@"
}
# planned TABLE STAGE: sets $words to the words TABLE's line gives STAGE; fails when it gives none.
planned() {
  words="" p_rest=$1
  while [ -n "$p_rest" ]; do
    record=${p_rest%%"$nl"*} p_rest=${p_rest#*"$nl"}
    case $record in "$2$us"*) words=${record#*"$us"} && return 0 ;; esac
  done
  return 1
}
while IFS= read -r line; do
  verb=${line%%"$us"*} fields=""
  case $line in *"$us"*) fields=${line#*"$us"} ;; esac
  case $verb in
    track) case $nl$tracked in *"$nl$fields$nl"*) ;; *) tracked=$tracked$fields$nl ;; esac ;;
    drop) forget "$fields" ;;
    keep) kept=$kept$fields$us ;;
    list) listings=$listings$fields$nl stages="$stages ${fields%%"$us"*}" ;;
    remove) removals=$removals$fields$nl ;;
    endpoints) endpoints=$fields ;;
    alive) alive=$fields ;;
    detach) detach=$fields ;;
    missing) missing=$(lines_of "$fields") ;;
    grace) grace=$fields ;;
    batch) batch_size=$fields ;;
    limits) list_limit=${fields%%"$us"*} remove_limit=${fields#*"$us"} ;;
    end) say "the session ended normally; nothing to remove"; exit 0 ;;
    *) say "ignored a line of the plan it does not know: $verb" ;;
  esac
done

complete=yes
for stage in $stages; do planned "$removals" "$stage" || complete=no; done
if [ -z "$stages" ] || [ "$complete" = no ] || [ -z "$grace" ] || [ -z "$batch_size" ] || [ -z "$list_limit" ] || [ -z "$remove_limit" ]; then
  # The host sends the plan's fixed part before it creates anything.
  say "the test host died before it had sent the whole plan; it had created nothing"
  exit 1
fi
say "the test host is gone without ending its session: removing what is labelled with it"
first=${stages# } first=${first%% *} later=${stages# "$first"}

# run LIMIT WORDS ARGUMENT...: docker with WORDS (the plan's, separated by $us), then the ARGUMENTs;
# bounded: a hung call cannot hold up the removal (a listing takes milliseconds, removing many
# containers seconds).
run() {
  limit=$1 run_words=$2
  shift 2
  IFS=$us
  # Split on the separator alone (and no globbing): each field is one argument, spaces and all.
  # shellcheck disable=SC2086
  set -- $run_words "$@"
  IFS=$ws
  if command -v timeout >/dev/null 2>&1; then timeout "$limit" "$docker" "$@"; else "$docker" "$@"; fi
}
is_kept() { case $kept in *"$us$1$us"*) return 0 ;; esac; return 1; }
# Prints the first field (id) of each "ID NAME" line whose name was not kept.
unkept() { while read -r id name; do is_kept "$name" || printf '%s\n' "$id"; done; }
# is_missing TEXT: whether an error says the object is not there.
is_missing() { [ -n "$missing" ] && printf '%s\n' "$1" | grep -qF -e "$missing"; }
# except_missing COMMAND...: runs it, logging its errors but those about an object that is not there
# (a tracked resource its test already removed is no news); any other failure is still written down.
except_missing() {
  errors=$(mktemp)
  "$@" 2>"$errors"
  if [ -n "$missing" ]; then grep -vF -e "$missing" "$errors" || true; else cat "$errors"; fi
  rm -f "$errors"
}
# remove WORDS IDS: one call of the removal WORDS for all of IDS (a newline-separated list); counts what it removed.
remove() {
  [ -n "$2" ] || return 0
  # Word splitting of the id list is intended.
  # shellcheck disable=SC2086
  out=$(run "$remove_limit" "$1" $2) || say "could not remove all of:" $2 "(the next round tries again)"
  count=$(printf '%s\n' "$out" | grep -c .)
  removed=$((removed + count))
  # shellcheck disable=SC2086
  [ "$count" -eq 0 ] || say "removed:" $out
}
# remove_each WORDS IDS: IDS in batches of $batch_size, one call per batch, all batches at once:
# one docker rm -f of 30 containers on a busy engine took seconds, several smaller ones at once take
# less (the plan's batch is 1 where one call of several ids is not safe). Each batch runs in a
# subshell whose exit status is how many it removed.
remove_each() {
  each_words=$1 pids="" chunk="" n=0
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
  # shellcheck disable=SC2030
  (removed=0; remove "$each_words" "$chunk"; exit "$removed") &
  pids="$pids $!" chunk="" n=0
}
# split_tracked LINE: sets $name, $prefix (the removal's words but the last) and $object (the last).
split_tracked() {
  IFS=$us
  # shellcheck disable=SC2086
  set -- $1
  IFS=$ws
  name=$2 prefix=$3
  shift 3
  while [ "$#" -gt 1 ]; do prefix=$prefix$us$1 && shift; done
  object=$1
}
# tracked_names STAGE: prints the names of the tracked, unkept resources of STAGE.
tracked_names() {
  t_rest=$tracked
  while [ -n "$t_rest" ]; do
    record=${t_rest%%"$nl"*} t_rest=${t_rest#*"$nl"}
    case $record in "$1$us"*) split_tracked "$record" && ! is_kept "$name" && printf '%s\n' "$name" ;; esac
  done
}
# remove_tracked STAGE: removes the tracked, unkept resources of STAGE by their own command lines;
# lines that differ in their last word (the object) alone are joined, as remove_each joins ids.
remove_tracked() {
  t_rest=$tracked group="" objects=""
  while [ -n "$t_rest" ]; do
    record=${t_rest%%"$nl"*} t_rest=${t_rest#*"$nl"}
    case $record in "$1$us"*) ;; *) continue ;; esac
    split_tracked "$record"
    ! is_kept "$name" || continue
    if [ "$prefix" != "$group" ]; then
      remove_each "$group" "$objects"
      group=$prefix objects=""
    fi
    objects=$objects$object$nl
  done
  remove_each "$group" "$objects"
}
# list_all: the plan's listings at once, each into $lists/STAGE; fails when one did.
list_all() {
  l_rest=$listings l_pids="" listed=0
  while [ -n "$l_rest" ]; do
    record=${l_rest%%"$nl"*} l_rest=${l_rest#*"$nl"}
    run "$list_limit" "${record#*"$us"}" >"$lists/${record%%"$us"*}" &
    l_pids="$l_pids $!"
  done
  for pid in $l_pids; do wait "$pid" || listed=1; done
  return "$listed"
}

# disconnect_stale IDS: dockerd can keep the endpoint of a container it removed (its network
# teardown races under load); `network rm` then says "has active endpoints" though no container is
# left, for good. An endpoint whose container the engine no longer knows is disconnected by its name
# (the one handle dockerd accepts for it); a live container's endpoint is never touched. Only when the
# plan says how.
disconnect_stale() {
  [ -n "$endpoints" ] || return 0
  for object in $1; do
    run "$list_limit" "${endpoints#*"$us"}" "$object" |
      while read -r id name; do
        [ -n "$name" ] || continue
        # Stderr alone is kept: a look-up that fails for another reason (a busy engine) proves nothing.
        if gone=$(run "$list_limit" "$alive" "$id" 2>&1 >/dev/null); then continue; fi
        if ! is_missing "$gone"; then
          say "could not tell whether the container $id of an endpoint of $object is gone: $gone" && continue
        fi
        if run "$remove_limit" "$detach" "$object" "$name" >/dev/null; then
          say "disconnected a stale endpoint from network $object: $name (its container $id is gone)"
        fi
      done
  done
}

started=$(date +%s) removed=0
lists=$(mktemp -d)
trap 'rm -rf "$lists"' EXIT
# The first stage's tracked resources (containers) are removed at once, while the first listings run
# (those already removed are not found: their errors are not news); the first round then leaves them
# out, and the objects they use go once they are gone. The other stages' tracked resources go after
# the session's own.
tracked_names "$first" >"$lists/tracked-names"
# The subshell's count is its own on purpose: a file carries it.
# shellcheck disable=SC2030
(removed=0; except_missing remove_tracked "$first"; echo "$removed" >"$lists/tracked-count") &
tracked_removal=$!
# Once the engine holds nothing of the session, it is watched a while longer: a docker call the host had
# in flight when it died (a create waiting on a busy engine) may still land.
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
  if ! list_all; then
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
    awk 'FILENAME == ARGV[1] { gone[$1] = 1; next } !($2 in gone)' "$lists/tracked-names" "$lists/$first" >"$lists/untracked"
    mv "$lists/untracked" "$lists/$first"
  fi
  firsts=$(unkept <"$lists/$first") found=$firsts
  for stage in $later; do found=$found$(unkept <"$lists/$stage"); done
  if [ -z "$found" ]; then
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
  # The first stage (containers), in batches at once; then the others, at once (none holds another);
  # what a call could not remove, the next round does.
  planned "$removals" "$first"
  remove_each "$words" "$firsts"
  stage_pids=""
  for stage in $later; do
    ids=$(unkept <"$lists/$stage")
    # An object still here when the first stage holds nothing may be held by a stale endpoint.
    if [ -z "$firsts" ] && [ "$stage" = "${endpoints%%"$us"*}" ]; then disconnect_stale "$ids"; fi
    planned "$removals" "$stage"
    # The subshell's count is its own on purpose: its exit status carries it.
    # shellcheck disable=SC2030
    (removed=0; remove_each "$words" "$ids"; exit "$removed") &
    stage_pids="$stage_pids $!"
  done
  for pid in $stage_pids; do
    wait "$pid"
    # shellcheck disable=SC2031
    removed=$((removed + $?))
  done
done
for stage in $later; do except_missing remove_tracked "$stage"; done
say "done: removed $removed resource(s) in $rounds round(s); the engine holds nothing of the session (kept:$(printf '%s' "${kept%"$us"}" | tr "$us" ' '))"
