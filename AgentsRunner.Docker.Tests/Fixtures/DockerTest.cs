using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Tests.Fixtures;

/// <summary>
/// Base of every end-to-end test: xUnit makes a new instance per test, so each test gets its own
/// <see cref="TestScope"/>, cleaned up however the test ends (pass, failure, exception, timeout,
/// cancellation). A failed test's containers' state and logs go into its output.
/// </summary>
public abstract class DockerTest(DockerSessionFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(60);
    private TestScope? _scope;

    /// <summary>This test's scope.</summary>
    protected TestScope Scope => _scope ?? throw new InvalidOperationException("The scope exists only while the test runs.");

    /// <summary>The session shared by all tests.</summary>
    protected TestSession Session => Scope.Session;

    /// <summary>The docker client.</summary>
    protected DockerCli Docker => Session.Docker;

    /// <summary>The test's cancellation token (cancelled on timeout or abort).</summary>
    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync()
    {
        var session = await fixture.GetSessionAsync();
        var context = TestContext.Current;
        var output = context.TestOutputHelper;
        _scope = session.BeginScope(context.Test?.TestDisplayName ?? GetType().Name, line => output?.WriteLine(line));
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_scope is null)
        {
            return;
        }

        // The test's own token may be cancelled already (timeout, abort): cleanup gets its own bound.
        using var limit = new CancellationTokenSource(CleanupLimit);
        var failed = TestContext.Current.TestState?.Result is TestResult.Failed;
        await _scope.CleanupAsync(failed, limit.Token);
        GC.SuppressFinalize(this);
    }
}
