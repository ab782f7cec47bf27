namespace AgentsRunner.Docker.Errors;

/// <summary>The container, object, image, network or volume a command named does not exist.</summary>
public class DockerNotFoundException : DockerCommandException
{
    internal DockerNotFoundException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerFailure failure)
        : this(arguments, exitCode, standardError, failure, "Check the name or id; the object may already have been removed (for example by --rm).")
    {
    }

    /// <summary>For subclasses: a specific missing object with its own hint.</summary>
    private protected DockerNotFoundException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerFailure failure, string hint)
        : base(arguments, exitCode, standardError, failure, hint)
    {
    }
}
