namespace AgentsRunner.Docker.Errors;

/// <summary>
/// Base of every exception this library raises: docker's failures (<see cref="DockerException"/>)
/// and the isolation layer's (a wait that failed, a cleanup that left something, a session that
/// ended with leaks, orphans found). Its message ends with how to fix the problem: <see cref="Hint"/>.
/// </summary>
public abstract class AgentsRunnerException : Exception
{
    private protected AgentsRunnerException(string summary, string hint, Exception? innerException = null)
        : base(summary.EndsWith('\n') ? summary + hint : $"{summary} {hint}", innerException)
    {
        Hint = hint;
    }

    /// <summary>How to fix the problem: the last sentence of <see cref="Exception.Message"/>.</summary>
    public string Hint { get; }
}
