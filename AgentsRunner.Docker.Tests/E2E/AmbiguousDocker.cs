namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A wrapper around the real docker CLI: the first `run` it sees is passed on to the engine, and
/// then reported as failed with a transient engine error, so the caller cannot know it worked.
/// </summary>
internal sealed class AmbiguousDocker : IDisposable
{
    private readonly string _directory;

    private AmbiguousDocker(string directory) => _directory = directory;

    public string Path => System.IO.Path.Combine(_directory, "docker");

    public int RunInvocations => File.Exists(System.IO.Path.Combine(_directory, "runs"))
        ? File.ReadAllLines(System.IO.Path.Combine(_directory, "runs")).Length
        : 0;

    public static AmbiguousDocker Create()
    {
        var directory = Directory.CreateTempSubdirectory("agents-runner-ambiguous-").FullName;
        var real = IndependentCheck.RealDocker;
        var script = $$"""
            #!/usr/bin/env bash
            set -u
            if [ "${1:-}" = run ]; then
              echo run >> '{{directory}}/runs'
              if [ ! -f '{{directory}}/failed-once' ]; then
                touch '{{directory}}/failed-once'
                '{{real}}' "$@" > /dev/null || exit $?
                echo 'Error response from daemon: context deadline exceeded' >&2
                exit 1
              fi
            fi
            exec '{{real}}' "$@"
            """;
        var path = System.IO.Path.Combine(directory, "docker");
        File.WriteAllText(path, script.ReplaceLineEndings("\n"));
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The docker wrapper is a bash script.");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new AmbiguousDocker(directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
