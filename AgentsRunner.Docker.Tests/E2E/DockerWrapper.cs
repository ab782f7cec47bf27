namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>
/// A docker CLI for a test: a bash script in a folder of its own that runs the test's lines first,
/// then hands the call to the real CLI (<see cref="IndependentCheck.RealDocker"/>) unchanged.
/// </summary>
internal sealed class DockerWrapper : IDisposable
{
    private DockerWrapper(string folder) => Folder = folder;

    /// <summary>The wrapper's own folder, for the files its lines keep.</summary>
    public string Folder { get; }

    /// <summary>The executable to give the library as its docker CLI.</summary>
    public string Path => System.IO.Path.Combine(Folder, "docker");

    /// <summary>A wrapper that runs <paramref name="before"/> (bash, given the folder) ahead of every call.</summary>
    public static DockerWrapper Create(Func<string, string> before)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The docker wrapper is a bash script.");
        }

        var wrapper = new DockerWrapper(Directory.CreateTempSubdirectory("agents-runner-docker-wrapper-").FullName);
        var script = $"#!/usr/bin/env bash\nset -u\n{before(wrapper.Folder).ReplaceLineEndings("\n")}\nexec '{IndependentCheck.RealDocker}' \"$@\"\n";
        File.WriteAllText(wrapper.Path, script);
        File.SetUnixFileMode(wrapper.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return wrapper;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
