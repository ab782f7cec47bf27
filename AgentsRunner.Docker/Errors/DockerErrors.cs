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

    /// <summary>What an error says of an object that is not there (each, as printed, in <see cref="DockerErrorKind.NotFound"/>'s rule).</summary>
    public static IReadOnlyList<string> NotFoundMarkers { get; } = Rules.Single(rule => rule.Kind == DockerErrorKind.NotFound).Markers;

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
    /// The exception for a non-zero exit: the typed exception docker's own message calls for when
    /// docker failed (<see cref="DockerFailureBoundary"/>); else a <see cref="ContainerCommandException"/>
    /// with the command's exit code and output, or, for an exit of 1 or 125 of a command not declared
    /// to run in a container and without docker's message, a <see cref="DockerCommandException"/>.
    /// </summary>
    public static DockerException FromExit(
        IReadOnlyList<string> arguments, CommandInContainer kind, int exitCode, string standardOutput, string standardError)
    {
        if (DockerFailureBoundary.DockersOwnFailure(kind, exitCode, standardOutput, standardError) is { } message)
        {
            return FromMessage(arguments, exitCode, standardError, message);
        }

        return DockerFailureBoundary.IsCommandsOwnExit(kind, exitCode)
            ? new ContainerCommandException(arguments, exitCode, standardOutput, standardError)
            : new DockerCommandException(arguments, exitCode, standardError, new DockerFailure(DockerErrorKind.CommandFailed, Unplaced(standardError, exitCode)));
    }

    /// <summary>The kind of docker's own failure that <paramref name="message"/> tells, for a process that exited <paramref name="exitCode"/>.</summary>
    public static DockerErrorKind KindOf(CliMessage message, int exitCode) => Classify(message.Text) switch
    {
        _ when exitCode is 126 or 127 => DockerErrorKind.ProgramNotStarted,

        // Words of a failed connection after other output: the CLI had connected, so it is not an outage.
        DockerErrorKind.DaemonUnavailable when !message.IsAllOutput => DockerErrorKind.CommandFailed,
        var kind => kind,
    };

    private static DockerCommandException FromMessage(IReadOnlyList<string> arguments, int exitCode, string standardError, CliMessage message)
    {
        var failure = new DockerFailure(KindOf(message, exitCode), message.Reason());
        return failure.Kind switch
        {
            DockerErrorKind.NotFound or DockerErrorKind.CommandFailed when IsMissingImage(message.Text) => new DockerImageNotFoundException(arguments, exitCode, standardError, failure),
            DockerErrorKind.NotFound => new DockerNotFoundException(arguments, exitCode, standardError, failure),
            DockerErrorKind.Conflict => new DockerConflictException(arguments, exitCode, standardError, failure),
            DockerErrorKind.DaemonUnavailable => new DockerDaemonUnavailableException(arguments, exitCode, standardError, failure),
            DockerErrorKind.TransientEngineError => new DockerTransientEngineException(arguments, exitCode, standardError, failure),
            DockerErrorKind.BadArguments => new DockerArgumentsException(arguments, exitCode, standardError, failure),
            DockerErrorKind.ProgramNotStarted => new DockerProgramNotStartedException(arguments, exitCode, standardError, failure),
            _ => new DockerCommandException(arguments, exitCode, standardError, failure),
        };
    }

    // What a failure without docker's message says: the first lines of standard error, or that there were none.
    private static string Unplaced(string standardError, int exitCode) =>
        standardError.Trim().Length == 0
            ? $"docker exited {exitCode} and printed nothing on standard error."
            : new CliMessage(standardError.Trim(), IsAllOutput: false).Reason();
}
