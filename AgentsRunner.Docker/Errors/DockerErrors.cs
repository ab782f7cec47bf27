using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Errors;

/// <summary>
/// The one mapping from a failed docker command to its error: its standard error to a
/// <see cref="DockerErrorKind"/>, and its exit to the typed exception that kind calls for.
/// Pure functions: the samples they were written against were captured from a real engine
/// (dockerd 20.10, docker CLI 28.2; podman 4.3.1) and live in the unit tests.
/// </summary>
internal static class DockerErrors
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
        // Failures to connect: the request was never sent, so nothing ran. A failed `_ping` is one
        // too: the CLI pings before it sends the command's own request.
        (DockerErrorKind.DaemonUnavailable,
        [
            "Cannot connect to the Docker daemon", "Is the docker daemon running", "permission denied while trying to connect",
            "connect: connection refused", "connect: no such file or directory", "connect: permission denied",
            "dial unix ", "dial tcp ", "/_ping\": ", "Cannot connect to Podman",
        ]),
        (DockerErrorKind.NotFound,
        [
            "No such container", "No such object", "No such image", "no such image", "no such volume",
            "No such network", "No such volume", "not found",
            // Podman's: "inspecting object: no such container X", "no container with name or ID", "image not known".
            "no such container", "no such object", "no container with name or ID", "image not known",
        ]),
        (DockerErrorKind.Conflict,
        [
            "Conflict.", "is already in use", "already exists", "is already in progress",
            "You cannot remove a running container", "is not running", "is paused",
            "container state improper", "volume is being used",
        ]),
        // The connection dropped after the request was (maybe) written: it may have been carried out.
        (DockerErrorKind.TransientEngineError,
        [
            "context deadline exceeded", "i/o timeout", "connection reset by peer", "TLS handshake timeout",
            "503 Service Unavailable", "unexpected EOF", "broken pipe", "Client.Timeout exceeded",
            // Podman 4.3's network create, listing host routes while another network's bridge goes away.
            "route ip+net: no such network interface",
        ]),
    ];

    private static readonly string[] MissingImageMarkers = ["No such image", "no such image", "image not known", "Unable to find image"];

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

        // The CLI's own transport error: the rest of the line is a URL and a network error, whose
        // words (a name in the URL) must not be read as another kind.
        if (!daemonAnswered && standardError.Contains("error during connect", StringComparison.Ordinal))
        {
            return Matches(DockerErrorKind.DaemonUnavailable, standardError) ? DockerErrorKind.DaemonUnavailable : DockerErrorKind.TransientEngineError;
        }

        foreach (var (kind, _) in Rules)
        {
            if (kind == DockerErrorKind.DaemonUnavailable && daemonAnswered)
            {
                continue;
            }

            if (Matches(kind, standardError))
            {
                return kind;
            }
        }

        return DockerErrorKind.CommandFailed;
    }

    /// <summary>
    /// Whether a failed <c>docker run</c> / <c>docker create</c> failed for want of its image (with
    /// <c>--pull never</c>): docker's "No such image", podman's "image not known", or the CLI's own
    /// "Unable to find image" before a pull.
    /// </summary>
    /// <param name="standardError">The failed command's standard error, as printed.</param>
    public static bool IsMissingImage(string standardError) =>
        MissingImageMarkers.Any(marker => standardError.Contains(marker, StringComparison.Ordinal));

    private static bool Matches(DockerErrorKind kind, string standardError) =>
        Rules.First(rule => rule.Kind == kind).Markers.Any(marker => standardError.Contains(marker, StringComparison.Ordinal));

    /// <summary>
    /// The exception for a non-zero exit: a <see cref="ContainerCommandException"/> when the exit is
    /// that of a command run in a container (its standard error is then not classified), else the
    /// typed exception docker's standard error calls for.
    /// </summary>
    public static DockerException FromExit(
        IReadOnlyList<string> arguments, CommandInContainer kind, int exitCode, string standardOutput, string standardError) =>
        DockerFailureBoundary.IsDockersOwnFailure(kind, exitCode, standardOutput, standardError)
            ? FromExit(arguments, exitCode, standardError)
            : new ContainerCommandException(arguments, exitCode, standardOutput, standardError);

    /// <summary>The typed exception docker's standard error calls for.</summary>
    public static DockerCommandException FromExit(IReadOnlyList<string> arguments, int exitCode, string standardError) =>
        Classify(standardError) switch
        {
            DockerErrorKind.NotFound => new DockerNotFoundException(arguments, exitCode, standardError),
            DockerErrorKind.Conflict => new DockerConflictException(arguments, exitCode, standardError),
            DockerErrorKind.DaemonUnavailable => new DockerDaemonUnavailableException(arguments, exitCode, standardError),
            var kind => new DockerCommandException(arguments, exitCode, standardError, kind),
        };
}
