#!/usr/bin/env bash
# Shared by the test scripts: where things are, and reading a TRX report's counts.
# shellcheck disable=SC2034  # the variables are used by the scripts that source this file
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
test_project="$root/AgentsRunner.Docker.Tests"
docker_cli=${AGENTS_RUNNER_DOCKER:-docker}

# Prints "passed failed skipped" from a TRX file's Counters element.
trx_counts() {
  local counters passed failed skipped
  counters=$(grep -o '<Counters [^>]*>' "$1" | head -n 1)
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  skipped=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  printf '%s %s %s\n' "${passed:-0}" "${failed:-0}" "${skipped:-0}"
}

# A fresh session id: unique across hosts and concurrent runs.
new_session_id() {
  printf '%s-%s\n' "$1" "$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
}
