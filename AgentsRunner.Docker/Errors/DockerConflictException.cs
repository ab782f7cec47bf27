namespace AgentsRunner.Docker.Errors;

/// <summary>A name is already in use, or the object's state forbids the operation (for example an exec in a container that is not running).</summary>
internal sealed class DockerConflictException : DockerCommandException
{
    private static readonly string[] NotRunning = ["is not running", "is paused", "container state improper", "only create exec sessions on running containers"];

    internal DockerConflictException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerFailure failure)
        : base(arguments, exitCode, standardError, failure, HintFor(failure.Reason))
    {
    }

    private static string HintFor(string reason) =>
        NotRunning.Any(words => reason.Contains(words, StringComparison.Ordinal))
            ? "The container is not running: it exited, was stopped or paused. Read its state and last log lines ('docker ps -a', 'docker logs NAME'); "
                + "ContainerHandle.WaitForExitAsync and the failed test's output show them too."
            : "Use a unique name, or remove the existing object first (for example 'docker rm -f NAME').";
}
