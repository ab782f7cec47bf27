#!/usr/bin/env bash
# Proves the packages work for a newcomer: packs AgentsRunner.Docker and AgentsRunner.Docker.Xunit to
# a temporary folder, makes a fresh test project outside the repository that references only them
# (plus xUnit v3 and Shouldly, as a user's would), puts the README's first C# example into it
# verbatim (so the README cannot drift from the packages), builds and runs it against the engine with
# CI=true, and checks that nothing labelled with its session is left. Needs an engine and the test
# image (scripts/engine-up.sh, scripts/test-image.sh). Exits non-zero on any failure.
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

# The version of a package the repository pins centrally, so the consumer uses what the tests use.
pinned() { sed -n "s/.*PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*/\1/p" "$root/Directory.Packages.props"; }
xunit_version=$(pinned xunit.v3.mtp-v2)
shouldly_version=$(pinned Shouldly)
[[ -n $xunit_version && -n $shouldly_version ]] || fail "could not read the xunit.v3.mtp-v2 and Shouldly versions from Directory.Packages.props."

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

# A fresh project with its own global.json (Microsoft.Testing.Platform, as the repository's), its own
# nuget.config, and empty Directory.*.props that stop MSBuild from looking further up for any.
mkdir -p "$consumer"
cp "$root/global.json" "$consumer/global.json"
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
</configuration>
XML
cat >"$consumer/Consumer.Tests.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <OutputType>Exe</OutputType>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="AgentsRunner.Docker" Version="$version" />
    <PackageReference Include="AgentsRunner.Docker.Xunit" Version="$version" />
    <PackageReference Include="xunit.v3.mtp-v2" Version="$xunit_version" />
    <PackageReference Include="Shouldly" Version="$shouldly_version" />
  </ItemGroup>
</Project>
XML
# The README's first ```csharp block, as it is.
awk '/^```csharp[[:space:]]*$/ { inside = 1; next } inside && /^```/ { exit } inside { print }' "$root/README.md" >"$consumer/ReadmeExample.cs"
[[ -s $consumer/ReadmeExample.cs ]] || fail "README.md has no \`\`\`csharp block."

# A fresh packages folder: a re-packed, same-version package must not come from a NuGet cache.
export NUGET_PACKAGES="$work/packages"
say "building the consumer in $consumer"
(cd "$consumer" && dotnet build --nologo -v quiet) >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "the consumer did not build: the README's example does not compile against the packages."; }

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
say "OK: the README's example compiled against packages $version alone, $passed test(s) passed, nothing left on the engine."
