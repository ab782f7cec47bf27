using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Isolation;

/// <summary>A test session ended with leaks, resources it could not remove, or a changed test image.</summary>
internal sealed class SessionEndException : AgentsRunnerException
{
    internal SessionEndException(string sessionId, IReadOnlyList<string> problems)
        : base(
            $"Test session {sessionId} ended with {problems.Count} problem(s):\n  {string.Join("\n  ", problems)}\n",
            "A test should remove what it creates: use its TestScope for every container, network and volume, and let the scope end.")
    {
        SessionId = sessionId;
        Problems = problems;
    }

    /// <summary>The session.</summary>
    public string SessionId { get; }

    /// <summary>Each problem, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
