namespace AgentsRunner.Docker.Tests;

/// <summary>The running test's cancellation token, under a short name for this project's tests (imported everywhere by a global using).</summary>
internal static class TestCancellation
{
    /// <summary>Cancelled when the test times out or the run is aborted.</summary>
    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;
}
