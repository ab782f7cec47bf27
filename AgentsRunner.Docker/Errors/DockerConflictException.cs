namespace AgentsRunner.Docker.Errors;

/// <summary>A name is already in use, or the object's state forbids the operation.</summary>
public sealed class DockerConflictException : DockerCommandException
{
    internal DockerConflictException(IReadOnlyList<string> arguments, int exitCode, string standardError)
        : base(arguments, exitCode, standardError, DockerErrorKind.Conflict,
            "Use a unique name, or remove the existing object first (for example 'docker rm -f NAME').")
    {
    }
}
