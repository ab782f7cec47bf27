namespace AgentsRunner.Docker.Execution;

/// <summary>
/// What the code that builds a creating command declares with it: how to find the object that an
/// ambiguous failed attempt (a timeout, a dropped connection) may have made, and adopt it. The
/// runner only decides whether to retry and when to ask; it knows no kind of object.
/// </summary>
internal interface IAdopter
{
    /// <summary>The object the failed attempt made, as the command's own result; null when there is none.</summary>
    /// <param name="command">The creating command.</param>
    /// <param name="cause">The ambiguous failure.</param>
    /// <param name="runLookUp">Runs one look-up (or start), with the retries of its own shape.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <exception cref="Errors.DockerException">An object under that name exists and is not provably the command's.</exception>
    Task<DockerResult?> TryAdoptAsync(
        DockerCommand command,
        Errors.DockerException cause,
        Func<DockerCommand, CancellationToken, Task<DockerResult>> runLookUp,
        CancellationToken cancellationToken);
}
