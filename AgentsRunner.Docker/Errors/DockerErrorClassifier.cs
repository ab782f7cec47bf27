namespace AgentsRunner.Docker.Errors;

/// <summary>
/// Maps a failed docker command's standard error to a <see cref="DockerErrorKind"/>.
/// A pure function: the samples it was written against were captured from a real engine
/// (dockerd 20.10, docker CLI 28.2) and live in the unit tests.
/// </summary>
public static class DockerErrorClassifier
{
    // Checked in order: the first match wins. Bad arguments come first because a usage
    // message can quote words ("not found") that belong to other kinds.
    private static readonly (DockerErrorKind Kind, string[] Markers)[] Rules =
    [
        (DockerErrorKind.BadArguments,
        [
            "unknown flag:", "unknown shorthand flag:", "unknown command:", "flag needs an argument",
            "invalid argument", "requires at least", "requires exactly", "accepts no arguments",
            "\"docker ", "invalid reference format",
        ]),
        (DockerErrorKind.DaemonUnavailable,
        [
            "Cannot connect to the Docker daemon", "error during connect", "Is the docker daemon running",
            "connect: connection refused", "dial unix", "permission denied while trying to connect",
        ]),
        (DockerErrorKind.NotFound,
        [
            "No such container", "No such object", "No such image", "no such image", "no such volume",
            "No such network", "No such volume", "not found",
        ]),
        (DockerErrorKind.Conflict,
        [
            "Conflict.", "is already in use", "already exists", "is already in progress",
            "You cannot remove a running container", "is not running", "is paused",
        ]),
        (DockerErrorKind.TransientEngineError,
        [
            "context deadline exceeded", "i/o timeout", "connection reset by peer", "TLS handshake timeout",
            "503 Service Unavailable", "unexpected EOF", "broken pipe", "Client.Timeout exceeded",
        ]),
    ];

    /// <summary>Classifies <paramref name="standardError"/>; empty or unknown text is <see cref="DockerErrorKind.CommandFailed"/>.</summary>
    /// <param name="standardError">The failed command's standard error, as printed.</param>
    public static DockerErrorKind Classify(string? standardError)
    {
        if (string.IsNullOrWhiteSpace(standardError))
        {
            return DockerErrorKind.CommandFailed;
        }

        // An OCI runtime error such as `exec: "/x": no such file or directory` is the
        // container's command failing, not a missing docker object.
        if (standardError.Contains("OCI runtime", StringComparison.Ordinal))
        {
            return DockerErrorKind.CommandFailed;
        }

        // An answer from the daemon proves it was reached, whatever the answer says about failing to
        // connect (to a registry, to containerd): the request arrived, so it is not safe to repeat blindly.
        var daemonAnswered = standardError.Contains("Error response from daemon", StringComparison.Ordinal);
        foreach (var (kind, markers) in Rules)
        {
            if (kind == DockerErrorKind.DaemonUnavailable && daemonAnswered)
            {
                continue;
            }

            foreach (var marker in markers)
            {
                if (standardError.Contains(marker, StringComparison.Ordinal))
                {
                    return kind;
                }
            }
        }

        return DockerErrorKind.CommandFailed;
    }
}
