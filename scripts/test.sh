#!/usr/bin/env bash
# The test command: brings up an engine and the test image if needed, runs every test (unit and
# end-to-end; end-to-end tests fail, never skip, without an engine), and closes with the line
# "N passed, N failed, N skipped". Exits non-zero when anything failed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
no_arguments "$@"

"$here/engine-up.sh"
"$here/test-image.sh"

results="$root/artifacts/test-results"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export AGENTS_RUNNER_REQUIRE_ENGINE=1
export AGENTS_RUNNER_REPORT_DIR=$e2e_reports

set +e
# A run that hangs is killed after 25 minutes (AGENTS_RUNNER_TEST_TIME_LIMIT seconds) and counts as failed.
run_bounded "${AGENTS_RUNNER_TEST_TIME_LIMIT:-1500}" dotnet test --project "$test_project" --results-directory "$results" \
  --report-trx --report-trx-filename all.trx --no-progress 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

counts=$(run_counts "$log" "$status")
read -r passed failed skipped <<<"$counts"
results_line "$passed" "$failed" "$skipped"
((failed == 0))
