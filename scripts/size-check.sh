#!/usr/bin/env bash
# The library's rooms stay small enough to read: no C# file of the two packages over 250 lines, no
# method (or other member with a block body) over 50, and no more than 30 public types declared by the
# two packages' PublicAPI files together. Run by CI before anything slow; names each offender.
# Members are found by dotnet format's layout: a declaration line, its "{" alone on the next line at
# the same indent, and the "}" that closes it at that indent again (an object initializer after
# "new (...)", "return new ...(...)", "var x = new ...(...)" or "Property = new ...(...)" is not a member).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
no_arguments "$@"

max_file=250 max_member=50 max_types=30
mapfile -d '' sources < <(find "$root/AgentsRunner.Docker" "$root/AgentsRunner.Docker.Xunit" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -print0 | sort -z)
((${#sources[@]} > 0)) || { say "no C# sources found under $root"; exit 2; }

status=0
for file in "${sources[@]}"; do
  lines=$(wc -l <"$file")
  if ((lines > max_file)); then
    say "${file#"$root"/}: $lines lines (more than $max_file): split it by what its parts do."
    status=1
  fi
done

awk -v limit="$max_member" -v root="$root/" '
  function indent(s) { match(s, /^ */); return RLENGTH }
  FNR == 1 { open_at = -1; prev = "" }
  open_at < 0 && $0 ~ /^ +\{$/ && indent($0) == indent(prev) && prev ~ /^ +[A-Za-z].*\)( where .*)?$/ \
    && prev !~ /^ +(if|for|foreach|while|switch|using|lock|catch|else if|fixed|extension) ?\(/ \
    && prev !~ /^ +(new|return|var [A-Za-z_]+ =) ?[A-Za-z(]/ && prev !~ /^ +[A-Za-z_][A-Za-z0-9_.]* = / {
    open_at = indent($0); start = FNR - 1; name = prev; sub(/^ +/, "", name)
  }
  open_at >= 0 && $0 ~ /^ +\}$/ && indent($0) == open_at {
    if (FNR - start + 1 > limit) {
      file = FILENAME; sub(root, "", file)
      printf "size-check: %s:%d: %d lines (more than %d): %s\n", file, start, FNR - start + 1, limit, name > "/dev/stderr"
      bad = 1
    }
    open_at = -1
  }
  { prev = $0 }
  END { exit bad }
' "${sources[@]}" || status=1

# A type's own line in a PublicAPI file is its name alone: no member signature, value or arrow.
mapfile -t types < <(cat "$root"/AgentsRunner.Docker*/PublicAPI.*.txt | grep -v '^#' | grep -vE '[(=]|->' |
  sed -E 's/^((static|abstract|sealed) )*//' | grep . | sort -u)
if ((${#types[@]} > max_types)); then
  say "the packages declare ${#types[@]} public types (more than $max_types): make what a user never touches internal."
  status=1
fi

((status == 0)) && say "${#sources[@]} files: none over $max_file lines, no member over $max_member; ${#types[@]} public types."
exit "$status"
