using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Xunit;

/// <summary>
/// What a session created and leaked, as <c>key=value</c> lines in
/// <c>&lt;session id&gt;.summary</c> in the session's report folder
/// (<see cref="TestSessionOptions.ReportDirectory"/>), for scripts that audit a run.
/// </summary>
internal static class SessionReport
{
    public static void Write(TestSession session, int leaks)
    {
        var directory = session.Options.ReportDirectory;
        Directory.CreateDirectory(directory);
        var created = session.Created;
        File.WriteAllText(
            Path.Combine(directory, $"{session.Id}.summary"),
            $"containers={created[ResourceKind.Container]}\nnetworks={created[ResourceKind.Network]}\nvolumes={created[ResourceKind.Volume]}\nleaks={leaks}\n");
    }
}
