#!/usr/bin/env bash
# The end-to-end suite through the fault-injecting docker shim (scripts/docker-faults.sh): a share of
# calls fail as an unreachable engine, a share of labelled creates run but lose their answer, a share
# of reads hang, a share of engine connections (dial-stdio) drop or hang, and as many as the calls
# are refused. Every test must still pass, with no leak. Seeded: replay a failure with its seed.
#
# Usage: scripts/faults-e2e.sh [--seed N] [--unreachable PCT] [--drop PCT] [--hang PCT] [--dial PCT] [-- run-e2e.sh options]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

seed=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ') unreachable=20 drop=15 hang=5 dial=10 pass=()
while (($#)); do
  case $1 in
    --seed) (($# >= 2)) || usage; seed=$2; shift 2 ;;
    --unreachable) (($# >= 2)) || usage; unreachable=$2; shift 2 ;;
    --drop) (($# >= 2)) || usage; drop=$2; shift 2 ;;
    --hang) (($# >= 2)) || usage; hang=$2; shift 2 ;;
    --dial) (($# >= 2)) || usage; dial=$2; shift 2 ;;
    --) shift; pass=("$@"); break ;;
    -h | --help) help_text; exit 0 ;;
    *) say "unknown option '$1'"; usage ;;
  esac
done
for value in "$seed" "$unreachable" "$drop" "$hang" "$dial"; do
  [[ $value =~ ^[0-9]+$ ]] || { say "'$value' is not a whole number"; exit 2; }
done

state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
export AGENTS_RUNNER_FAULTS_DOCKER=$docker_cli AGENTS_RUNNER_FAULTS_SEED=$seed AGENTS_RUNNER_FAULTS_STATE=$state
export AGENTS_RUNNER_FAULTS_UNREACHABLE=$unreachable AGENTS_RUNNER_FAULTS_DROP=$drop AGENTS_RUNNER_FAULTS_HANG=$hang AGENTS_RUNNER_FAULTS_DIAL=$dial
# A hung read costs the library's time limit: 10 s here rather than the default 30 s.
export AGENTS_RUNNER_DOCKER_TIMEOUT=10
say "seed $seed: $unreachable% of calls unreachable, $drop% of labelled creates dropped after running, $hang% of reads hung, $dial% of engine connections dropped and as many hung"

status=0
"$here/run-e2e.sh" --through "$here/docker-faults.sh" "${pass[@]}" || status=$?
log="$state/faults.log"
count() { grep -c " $1: " "$log" 2>/dev/null || true; }
refused=$(grep -c " unreachable: system dial-stdio" "$log" 2>/dev/null || true)
say "seed $seed: $(cat "$state/count" 2>/dev/null || echo 0) docker calls; injected $(count unreachable) unreachable ($refused of them engine connections), $(count dropped) dropped creates, $(count hung) hung reads, $(count connection-dropped) dropped and $(count connection-hung) hung engine connections"
if [[ $(count unreachable) -eq 0 && $unreachable -gt 0 ]]; then
  say "FAILED: no fault was injected; the shim was not used."
  status=1
fi
((status == 0)) || say "FAILED (exit $status); replay with: scripts/faults-e2e.sh --seed $seed"
exit "$status"
