namespace AgentsRunner.Docker.Errors;

/// <summary>The container, object, image, network or volume a command named does not exist.</summary>
public sealed class DockerNotFoundException : DockerCommandException
{
    internal DockerNotFoundException(IReadOnlyList<string> arguments, int exitCode, string standardError)
        : base(arguments, exitCode, standardError, DockerErrorKind.NotFound,
            "Check the name or id; the object may already have been removed (for example by --rm).")
    {
    }
}
