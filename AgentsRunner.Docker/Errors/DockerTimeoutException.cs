using System.Globalization;

namespace AgentsRunner.Docker.Errors;

/// <summary>A docker command ran past its time limit; its process was killed.</summary>
public sealed class DockerTimeoutException(IReadOnlyList<string> arguments, TimeSpan timeout, string standardError)
    : DockerException(
        string.Create(CultureInfo.InvariantCulture, $"'{Describe(arguments)}' did not finish within {timeout.TotalSeconds:0.###} s and was killed."),
        "Raise the timeout for this call, or check why the engine is slow ('docker info', the engine's log).",
        arguments,
        exitCode: null,
        standardError)
{
    /// <summary>The limit that was exceeded.</summary>
    public TimeSpan Timeout { get; } = timeout;

    /// <inheritdoc />
    public override DockerErrorKind Kind => DockerErrorKind.TransientEngineError;
}
