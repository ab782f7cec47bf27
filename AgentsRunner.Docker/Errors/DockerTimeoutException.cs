using System.Globalization;

namespace AgentsRunner.Docker.Errors;

/// <summary>A docker command ran past its timeout; its process was killed.</summary>
public sealed class DockerTimeoutException : DockerException
{
    internal DockerTimeoutException(IReadOnlyList<string> arguments, TimeSpan timeout, string standardError)
        : base(
            string.Create(CultureInfo.InvariantCulture, $"'{Describe(arguments)}' did not finish within {timeout.TotalSeconds:0.###} s and was killed."),
            "Raise the timeout for this call, or check why the engine is slow ('docker info', the engine's log).",
            arguments,
            exitCode: null,
            standardError)
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that passed.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    internal override DockerErrorKind Kind => DockerErrorKind.Timeout;
}
