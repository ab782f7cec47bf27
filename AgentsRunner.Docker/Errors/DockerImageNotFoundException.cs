namespace AgentsRunner.Docker.Errors;

/// <summary>
/// The image a <c>run</c> or <c>create</c> named is not on the engine, and was not pulled: with
/// <c>--pull never</c> (the default for a scope's containers), or the pull itself failed.
/// </summary>
internal sealed class DockerImageNotFoundException : DockerNotFoundException
{
    internal DockerImageNotFoundException(IReadOnlyList<string> arguments, int exitCode, string standardError, DockerFailure failure)
        : base(arguments, exitCode, standardError, failure,
            "Build or load the image on the engine before the run ('docker build', 'docker load'); a scope pulls a missing image only "
            + "with TestSessionOptions.PullMissingImages (AGENTS_RUNNER_PULL_MISSING=1), and only from a registry the engine can reach.")
    {
    }
}
