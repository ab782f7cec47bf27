using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Xunit;

/// <summary>
/// What a session created and leaked, as <c>key=value</c> lines in
/// <c>$AGENTS_RUNNER_REPORT_DIR/&lt;session id&gt;.summary</c>, for scripts that audit a run.
/// Nothing is written when the variable is not set.
/// </summary>
internal static class SessionReport
{
    /// <summary>The variable that names the report directory.</summary>
    public const string DirectoryVariable = "AGENTS_RUNNER_REPORT_DIR";

    public static void Write(TestSession session, int leaks)
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is not { Length: > 0 } directory)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var created = session.Created;
        File.WriteAllText(
            Path.Combine(directory, $"{session.Id}.summary"),
            $"containers={created[ResourceKind.Container]}\nnetworks={created[ResourceKind.Network]}\nvolumes={created[ResourceKind.Volume]}\nleaks={leaks}\n");
    }
}
