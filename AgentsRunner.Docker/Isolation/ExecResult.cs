namespace AgentsRunner.Docker.Isolation;

/// <summary>What a command run with <see cref="ContainerHandle.ExecAsync"/> did: a non-zero exit is data, not an error.</summary>
/// <param name="ExitCode">The command's exit code.</param>
/// <param name="StandardOutput">What it printed on standard output.</param>
/// <param name="StandardError">What it printed on standard error.</param>
public sealed record ExecResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Whether it exited 0.</summary>
    public bool Succeeded => ExitCode == 0;
}
