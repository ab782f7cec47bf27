namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>The bash script that <see cref="FakeDocker"/> writes as its docker executable.</summary>
internal static class FakeDockerScript
{
    /// <summary>The argument that makes the script exit 0 at once, recording nothing.</summary>
    public const string ProbeArgument = "--fake-docker-probe";

    /// <summary>The configuration directory (under <c>on/</c>) that answers a call no sub-command directory claims.</summary>
    public const string AnyCommand = "any";

    // A call's answer is the step numbered by how often its sub-command was called, else the
    // sub-command's "default" step. Only plain lowercase words (and hyphens, as in dial-stdio) are tried as sub-command names,
    // so that no argument can steer the look-up out of the directory.
    public const string Text = """
        #!/usr/bin/env bash
        set -u
        if [[ ${1:-} == --fake-docker-probe ]]; then exit 0; fi
        dir="$(cd "$(dirname "$0")" && pwd)"
        key=any
        for candidate in "${1:-} ${2:-}" "${1:-}"; do
          if [[ $candidate =~ ^[a-z]+( [a-z][a-z-]*)?$ && -d "$dir/on/$candidate" ]]; then key=$candidate; break; fi
        done
        # Calls made at once are numbered one by one: the counters are read and written under a lock,
        # which closing its descriptor gives back.
        exec 9> "$dir/lock"
        flock 9
        n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 ))
        printf '%s\0' "$@" > "$dir/args.$n"
        env -0 > "$dir/env.$n"
        m=$(( $(cat "$dir/on/$key/count" 2>/dev/null || echo 0) + 1 ))
        echo "$m" > "$dir/on/$key/count"
        # Renamed into place, after the call's arguments: a test polling the count never reads it half-written.
        echo "$n" > "$dir/count.$$" && mv -f "$dir/count.$$" "$dir/count"
        exec 9>&-
        if [[ ${1:-} == system && ${2:-} == dial-stdio ]]; then
          # An engine connection: the request's head (up to its blank line) is the call's input; the step's
          # output is the engine's answer, after which the connection closes.
          : > "$dir/stdin.$n"
          while IFS= read -r line && [[ -n ${line%$'\r'} ]]; do printf '%s\n' "${line%$'\r'}" >> "$dir/stdin.$n"; done
        else
          cat > "$dir/stdin.$n"
        fi
        step="$dir/on/$key/$m"
        [[ -d $step ]] || step="$dir/on/$key/default"
        if [[ -e "$step/hang-with-child" ]]; then
          (exec -a "fake-docker-hang $dir" sleep 300) &
          echo "$!" > "$dir/child.$n"
        fi
        if [[ -e "$step/hang" || -e "$step/hang-with-child" ]]; then
          echo "$$" > "$dir/pid.$n.tmp" && mv "$dir/pid.$n.tmp" "$dir/pid.$n"
          if [[ -e "$step/hang-with-child" ]]; then wait; exit 0; fi
          exec -a "fake-docker-hang $dir" sleep 300
        fi
        if [[ -e "$step/stdout" ]]; then cat "$step/stdout"; fi
        if [[ -e "$step/stderr" ]]; then cat "$step/stderr" >&2; fi
        exit "$(cat "$step/exit" 2>/dev/null || echo 0)"

        """;
}
