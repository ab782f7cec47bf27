namespace AgentsRunner.Docker.Isolation;

/// <summary>Which of a container's output streams a line came from.</summary>
internal enum LogSource
{
    /// <summary>Standard output.</summary>
    StandardOutput,

    /// <summary>Standard error.</summary>
    StandardError,
}
