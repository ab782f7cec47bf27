#!/usr/bin/env bash
# Shared by the test scripts: where things are, and reading a TRX report's counts.
# shellcheck disable=SC2034  # the variables are used by the scripts that source this file
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
test_project="$root/AgentsRunner.Docker.Tests"
docker_cli=${AGENTS_RUNNER_DOCKER:-docker}
# The pinned test image's tag, from the "# tag:" line of the Dockerfile the library also builds from.
default_image=$(sed -n 's/^# tag: *//p' "$root/scripts/test-image/Dockerfile")
test_image=${AGENTS_RUNNER_TEST_IMAGE:-$default_image}

# Prints "passed failed skipped" from the summary `dotnet test` printed (saved in file $1).
# The console summary is read rather than the TRX file, whose counters stay at zero when the run
# fails outside a test (for example the session's leak check at the end).
summary_counts() {
  local passed failed skipped
  passed=$(sed -n 's/^ *succeeded: *\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  failed=$(sed -n 's/^ *failed: *\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  skipped=$(sed -n 's/^ *skipped: *\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  [[ -n $passed && -n $failed ]] || return 1
  printf '%s %s %s\n' "$passed" "$failed" "${skipped:-0}"
}

# A fresh session id: unique across hosts and concurrent runs.
new_session_id() {
  printf '%s-%s\n' "$1" "$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
}

# Whether the CLI drives podman (its --version says so): the one place the scripts ask.
engine_is_podman() {
  [[ $("$docker_cli" --version 2>/dev/null) == podman* ]]
}

# The listing template of label $2 for kind $1 (container, network, volume): podman has no .Label
# function, and its network listing nests the labels.
label_template() {
  if ! engine_is_podman; then
    printf '{{.Label "%s"}}' "$2"
  elif [[ $1 == network ]]; then
    printf '{{index .Network.Labels "%s"}}' "$2"
  else
    printf '{{index .Labels "%s"}}' "$2"
  fi
}
