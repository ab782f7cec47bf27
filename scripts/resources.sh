#!/usr/bin/env bash
# Lists this project's test resources on the engine (containers, networks, volumes that carry the
# agents-runner.session label), and on request removes them. Anything without that label is never
# listed or touched, whatever its name.
#
# Usage: scripts/resources.sh [--session ID] [--remove]
#   --session ID   only that test session's resources (default: every session's)
#   --remove       remove them (containers with their anonymous volumes, then networks, then volumes)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

session="" remove=0
while (($#)); do
  case $1 in
    --session) (($# >= 2)) || { say "--session needs an id"; exit 2; }; session=$2; shift 2 ;;
    --remove) remove=1; shift ;;
    -h | --help) help_text; exit 0 ;;
    *) say "unknown option '$1' (see --help)"; exit 2 ;;
  esac
done
filter="label=$label_session${session:+=$session}"
columns() { printf '%s\t%s\t%s' "$(label_template "$1" "$label_session")" "$(label_template "$1" "$label_test")" "$(label_template "$1" "$label_keep")"; }

# Listed into variables first: a failed listing then stops the script instead of reading as "none".
container_list=$(docker_bounded ps --all --filter "$filter" --format "{{.Names}}\t$(columns container)")
network_list=$(docker_bounded network ls --filter "$filter" --format "{{.Name}}\t$(columns network)")
volume_list=$(docker_bounded volume ls --filter "$filter" --format "{{.Name}}\t$(columns volume)")
mapfile -t containers < <(printf '%s' "$container_list" | sed '/^$/d')
mapfile -t networks < <(printf '%s' "$network_list" | sed '/^$/d')
mapfile -t volumes < <(printf '%s' "$volume_list" | sed '/^$/d')

printf 'KIND\tNAME\tSESSION\tTEST\tKEPT\n'
for line in "${containers[@]}"; do printf 'container\t%s\n' "$line"; done
for line in "${networks[@]}"; do printf 'network\t%s\n' "$line"; done
for line in "${volumes[@]}"; do printf 'volume\t%s\n' "$line"; done
total=$((${#containers[@]} + ${#networks[@]} + ${#volumes[@]}))
say "$total found (${#containers[@]} container(s), ${#networks[@]} network(s), ${#volumes[@]} volume(s))"

if ((remove && total > 0)); then
  names() { cut -f1; }
  # Podman: --time 0 (its rm --force waits 10 s for SIGTERM), and one name per call (podman 4.3's rm
  # of several names removes none when one is gone).
  rm_containers=(rm --force --volumes) per_call=()
  if engine_is_podman; then rm_containers+=(--time 0) per_call=(-n 1); fi
  if ((${#containers[@]})); then printf '%s\n' "${containers[@]}" | names | xargs "${per_call[@]}" timeout --kill-after=10 "$docker_call_limit" "$docker_cli" "${rm_containers[@]}" >/dev/null; fi
  if ((${#networks[@]})); then printf '%s\n' "${networks[@]}" | names | xargs "${per_call[@]}" timeout --kill-after=10 "$docker_call_limit" "$docker_cli" network rm >/dev/null; fi
  if ((${#volumes[@]})); then printf '%s\n' "${volumes[@]}" | names | xargs "${per_call[@]}" timeout --kill-after=10 "$docker_call_limit" "$docker_cli" volume rm >/dev/null; fi
  left=$( { docker_bounded ps --all --quiet --filter "$filter"; docker_bounded network ls --quiet --filter "$filter"; docker_bounded volume ls --quiet --filter "$filter"; } | wc -l)
  if ((left > 0)); then
    say "$left resource(s) could not be removed; see the errors above."
    exit 1
  fi
  say "removed $total."
fi
