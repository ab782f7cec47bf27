# The crash reaper of one test session (POSIX sh; started by CrashReaper, detached from the test host).
# Arguments: DOCKER SESSION LOG OUTAGE_SECONDS. Standard input: a pipe whose write end only the test
# host holds. The host writes "keep NAME" for each resource it keeps for debugging, and "end" when its
# session ended normally: then this exits and touches nothing. End of file without "end" means the
# host died (SIGKILL, crash, exit without ending the session): every resource labelled with the
# session, but the kept ones, is removed (containers, then networks, then volumes), and removal is
# confirmed by listings that find nothing twice in a row.
docker=$1 session=$2 log=$3 outage=$4
exec >>"$log" 2>&1
trap '' HUP INT PIPE
say() { printf '%s watchdog of session %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ | cut -c1-23)Z" "$session" "$*"; }
say "pid $$ watching test host pid $PPID"

kept=" "
while IFS= read -r line; do
  case $line in
    "keep "*) kept="$kept${line#keep } " ;;
    end) say "the session ended normally; nothing to remove"; exit 0 ;;
  esac
done

say "the test host is gone without ending its session: removing what is labelled with it"
filter="label=agents-runner.session=$session"
# Prints the first field (id) of each "ID NAME" line whose name was not kept.
unkept() { while read -r id name; do case $kept in *" $name "*) ;; *) printf '%s\n' "$id" ;; esac; done; }
started=$(date +%s)
removed=0 quiet=0 rounds=0
while :; do
  rounds=$((rounds + 1))
  if containers=$("$docker" ps --all --no-trunc --filter "$filter" --format '{{.ID}} {{.Names}}') \
    && networks=$("$docker" network ls --no-trunc --filter "$filter" --format '{{.ID}} {{.Name}}') \
    && volumes=$("$docker" volume ls --filter "$filter" --format '{{.Name}} {{.Name}}'); then
    containers=$(printf '%s\n' "$containers" | unkept)
    networks=$(printf '%s\n' "$networks" | unkept)
    volumes=$(printf '%s\n' "$volumes" | unkept)
    if [ -z "$containers$networks$volumes" ]; then
      # Twice empty, a moment apart: a create the dead host had in flight has landed by then.
      quiet=$((quiet + 1))
      if [ "$quiet" -ge 2 ]; then
        say "done: removed $removed resource(s) in $rounds round(s); the engine holds nothing of the session (kept:${kept% })"
        exit 0
      fi
    else
      quiet=0
      # One call per kind, many ids each; word splitting of the id lists is intended.
      # shellcheck disable=SC2086
      {
        [ -z "$containers" ] || "$docker" rm --force --volumes $containers >/dev/null
        [ -z "$networks" ] || "$docker" network rm $networks >/dev/null
        [ -z "$volumes" ] || "$docker" volume rm --force $volumes >/dev/null
      }
      removed=$((removed + $(printf '%s\n' $containers $networks $volumes | grep -c .)))
      say "removed: $(printf '%s ' $containers $networks $volumes)"
      continue
    fi
  else
    say "the engine did not answer; trying again"
  fi
  if [ $(($(date +%s) - started)) -gt "$outage" ]; then
    say "GAVE UP after $outage s: the engine did not answer or still holds resources of the session"
    exit 1
  fi
  sleep 0.3
done
