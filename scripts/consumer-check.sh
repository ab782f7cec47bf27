#!/usr/bin/env bash
# Proves the packages work for a newcomer: packs AgentsRunner.Docker and AgentsRunner.Docker.Xunit to
# a temporary folder, makes a fresh test project outside the repository from what the README says,
# verbatim (its project file, its global.json and its first C# example, so the README cannot drift
# from the packages), with only a nuget.config added that serves the packed packages, builds and runs
# it against the engine with CI=true, and checks that nothing labelled with its session is left.
# Needs an engine and the test image (scripts/engine-up.sh, scripts/test-image.sh). Exits non-zero
# on any failure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
no_arguments "$@"

fail() { say "FAILED: $*"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/agents-runner-consumer.XXXXXX")
sid=$(new_session_id "consumer")
cleanup() {
  # Whatever the check's session left (after a failure) is removed, by its label only.
  "$here/resources.sh" --session "$sid" --remove >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
case $work/ in "$root"/*) fail "the temporary folder $work is inside the repository; set TMPDIR elsewhere." ;; esac

# The README's first block of LANGUAGE (```LANGUAGE), as it is.
readme_block() { awk -v fence="\`\`\`$1" '$0 == fence { inside = 1; next } inside && /^```/ { exit } inside { print }' "$root/README.md"; }

feed="$work/feed" consumer="$work/consumer"
say "packing to $feed"
dotnet pack "$root/AgentsRunner.sln" --output "$feed" --nologo -v quiet >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; fail "dotnet pack failed."; }
mapfile -t packages < <(cd "$feed" && ls -- *.nupkg)
[[ ${#packages[@]} -eq 2 ]] || fail "dotnet pack made ${#packages[@]} package(s), not 2: ${packages[*]}"
version=${packages[0]#AgentsRunner.Docker.}
version=${version#Xunit.}
version=${version%.nupkg}
for id in AgentsRunner.Docker AgentsRunner.Docker.Xunit; do
  [[ -f $feed/$id.$version.nupkg && -f $feed/$id.$version.snupkg ]] || fail "missing $id.$version.nupkg or .snupkg in: ${packages[*]}"
done
[[ $version != 1.0.0 ]] || fail "the packages are version 1.0.0: MinVer did not version them."
say "packages $version"

# A fresh project: the README's project file and global.json as they are, empty Directory.*.props
# that stop MSBuild from looking further up, and a nuget.config that serves this project's packages
# from the packed folder alone (a package of the same name elsewhere cannot stand in for them).
mkdir -p "$consumer"
readme_block xml >"$consumer/Consumer.Tests.csproj"
readme_block json >"$consumer/global.json"
readme_block csharp >"$consumer/ReadmeExample.cs"
for file in Consumer.Tests.csproj global.json ReadmeExample.cs; do
  [[ -s $consumer/$file ]] || fail "README.md has no block for $file (\`\`\`xml, \`\`\`json, \`\`\`csharp)."
done
printf '<Project />\n' >"$consumer/Directory.Build.props"
printf '<Project />\n' >"$consumer/Directory.Packages.props"
cat >"$consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="AgentsRunner.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML

# A fresh packages folder: a re-packed, same-version package must not come from a NuGet cache.
export NUGET_PACKAGES="$work/packages"
say "building the consumer in $consumer"
(cd "$consumer" && dotnet build --nologo -v quiet) >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "the consumer did not build: the README's example does not compile against the packages."; }
grep -q "\"AgentsRunner.Docker.Xunit/$version\"" "$consumer/obj/project.assets.json" ||
  fail "the README's project did not resolve AgentsRunner.Docker.Xunit $version, the packed one."

say "running the consumer's tests, session $sid"
unset AGENTS_RUNNER_REPORT_DIR AGENTS_RUNNER_KEEP_FAILED
set +e
(cd "$consumer" && CI=true AGENTS_RUNNER_SESSION_ID=$sid dotnet test --no-build --no-progress) >"$work/test.log" 2>&1
status=$?
set -e
cat "$work/test.log"
counts=$(summary_counts "$work/test.log") || fail "the consumer's test run (exit $status) printed no summary."
read -r passed failed skipped <<<"$counts"
((status == 0 && failed == 0 && skipped == 0 && passed >= 1)) || fail "the consumer's tests: exit $status, $passed passed, $failed failed, $skipped skipped."
grep -q "agents-runner-session-$sid" "$work/test.log" || fail "the passing run's output does not name its session $sid."

listing=$("$here/resources.sh" --session "$sid") || fail "could not list the engine's resources for session $sid."
left=$(printf '%s\n' "$listing" | tail -n +2 | sed '/^$/d')
[[ -z $left ]] || fail "session $sid left resources on the engine:"$'\n'"$left"
say "OK: the README's project, global.json and example built against packages $version alone, $passed test(s) passed, nothing left on the engine."
