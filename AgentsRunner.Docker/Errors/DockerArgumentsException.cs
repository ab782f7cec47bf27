namespace AgentsRunner.Docker.Errors;

/// <summary>The docker CLI rejected its arguments (an unknown flag or command, bad usage, an invalid image reference): nothing ran.</summary>
internal sealed class DockerArgumentsException : DockerCommandException
{
    internal DockerArgumentsException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerFailure failure)
        : base(arguments, exitCode, standardError, failure, $"Check the arguments against 'docker {arguments.FirstOrDefault()} --help'.")
    {
    }
}
