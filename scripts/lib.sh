#!/usr/bin/env bash
# Sourced by every script in scripts/, never run: the one place for where things are, the docker CLI,
# the test image, the label keys, messages, help text, session ids, and the counting of test results.
# A script sources it with:
#   here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
#   # shellcheck source=lib.sh source-path=SCRIPTDIR
#   source "$here/lib.sh"
[[ ${BASH_SOURCE[0]} != "$0" ]] || { echo "lib.sh: source it from a script; it does nothing run alone." >&2; exit 2; }

# shellcheck disable=SC2034  # the values are read by the scripts that source this file
{
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  test_project="$root/AgentsRunner.Docker.Tests"
  # Where the end-to-end tests write their reports (TRX, logs, each session's summary).
  e2e_reports="$root/artifacts/e2e"
  docker_cli=${AGENTS_RUNNER_DOCKER:-docker}
  # The pinned test image's tag, from the "# tag:" line of the Dockerfile the library also builds from.
  test_image_dockerfile="$root/scripts/test-image/Dockerfile"
  default_image=$(sed -n 's/^# tag: *//p' "$test_image_dockerfile")
  test_image=${AGENTS_RUNNER_TEST_IMAGE:-$default_image}

  # The label keys the library puts on what it creates (AgentsRunner.Docker/Isolation/ProjectLabels.cs).
  label_session=agents-runner.session
  label_test=agents-runner.test
  label_keep=agents-runner.keep-on-failure
  label_expires=agents-runner.expires
  label_owner_host=agents-runner.owner-host
  label_owner_boot=agents-runner.owner-boot
  label_owner_pidns=agents-runner.owner-pidns
  label_owner_pid=agents-runner.owner-pid
  label_owner_start=agents-runner.owner-start
  label_created=agents-runner.created
  label_leased=agents-runner.leased
  label_lease=agents-runner.lease

  # The pid file and log of a dockerd that scripts/engine-up.sh started.
  dockerd_pid_file=/var/run/docker.pid
  dockerd_log=${AGENTS_RUNNER_DOCKERD_LOG:-/var/log/agents-runner-dockerd.log}
}

# The running script's name, the prefix of its messages: "run-e2e" for scripts/run-e2e.sh.
script_name=$(basename "$0" .sh)

# A message to stderr, prefixed with the script's name.
say() { printf '%s: %s\n' "$script_name" "$*" >&2; }

# The running script's help: its leading comment block (after the shebang) up to the first line that
# is not a comment, without the "# ". Editing the header edits the help.
help_text() {
  awk 'NR == 1 && /^#!/ { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

# A script called wrongly: its help on stderr, and exit code 2.
usage() { help_text >&2; exit 2; }

# For a script that takes no arguments: -h or --help prints its help and exits 0; anything else is
# refused.
no_arguments() {
  case ${1-} in
    "") return 0 ;;
    -h | --help) help_text; exit 0 ;;
    *) say "takes no arguments, not '$*'"; usage ;;
  esac
}

# Random hex digits (12): unique across hosts and concurrent runs.
random_id() { od -An -N6 -tx1 /dev/urandom | tr -d ' \n'; }

# A fresh session id with prefix $1.
new_session_id() { printf '%s-%s\n' "$1" "$(random_id)"; }

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

# Prints "passed failed skipped" for a `dotnet test` run whose output is in file $1 and whose exit
# code was $2. A run without a summary did not complete, and a run that failed outside any one test
# (the session's leak check at its end, say): each counts as one failure.
run_counts() {
  local log=$1 status=$2 counts passed failed skipped
  if ! counts=$(summary_counts "$log"); then
    say "the test run ended (exit $status) without a summary: it did not complete; counted as one failure."
    printf '0 1 0\n'
    return 0
  fi
  read -r passed failed skipped <<<"$counts"
  if ((status != 0 && failed == 0)); then
    say "the test run failed outside the tests themselves (exit $status); counted as one failure."
    failed=1
  fi
  printf '%s %s %s\n' "$passed" "$failed" "$skipped"
}

# The results line the test commands end with: "N passed, N failed, N skipped".
results_line() { printf '%s passed, %s failed, %s skipped\n' "$1" "$2" "$3"; }

# Builds the test project quietly; on failure builds it again to show why, and exits 1.
build_tests() {
  dotnet build "$test_project" --nologo -v quiet >/dev/null || { dotnet build "$test_project" --nologo; exit 1; }
}

# How long a script's own docker call may take before it is killed (seconds): a hung engine then
# fails the script with a message instead of holding it (and CI) forever.
docker_call_limit=${AGENTS_RUNNER_SCRIPT_DOCKER_LIMIT:-120}

# Runs "$@" for at most $1 seconds; then it is killed, with what it started (its process group),
# and says so. Returns its exit code (124 or 137 when it was killed). At a terminal it stays in the
# foreground, so that Ctrl-C reaches it; only the command itself is then killed at the limit.
run_bounded() {
  local limit=$1 status=0 mode=()
  shift
  [[ -t 0 ]] && mode=(--foreground)
  timeout "${mode[@]}" --kill-after=30 "$limit" "$@" || status=$?
  if ((status == 124 || status == 137)); then
    say "'$*' was still going after $limit s and was killed. The engine then:"
    AGENTS_RUNNER_DOCKER=$docker_cli "$root/scripts/engine-diagnose.sh" || true
  fi
  return "$status"
}

# The docker CLI with "$@", bounded by run_bounded at $docker_call_limit s; its exit code.
docker_bounded() { run_bounded "$docker_call_limit" "$docker_cli" "$@"; }

# Whether the CLI drives podman (its --version says so): the one place the scripts ask.
engine_is_podman() {
  [[ $(timeout 10 "$docker_cli" --version 2>/dev/null) == podman* ]]
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
