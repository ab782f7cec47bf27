using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// A session's setup, which runs while the first tests do (the sweep of dead sessions' orphans and
/// the test image's check or build), failed: no scope can begin and no container can be created in
/// the session any more. <see cref="Exception.InnerException"/> is the setup's failure.
/// </summary>
internal sealed class SessionSetupException : AgentsRunnerException
{
    internal SessionSetupException(string sessionId, Exception failure)
        : base(
            $"Test session {sessionId} cannot be used: the session's setup failed: {failure.Message}\n",
            "Fix the cause above (the session's end reports it too), then run again.",
            failure)
    {
        SessionId = sessionId;
    }

    /// <summary>The session.</summary>
    public string SessionId { get; }
}
