using AgentsRunner.Docker.Isolation;
using Xunit;

namespace AgentsRunner.Docker.Xunit;

/// <summary>
/// Base class of a test class whose tests use Docker: xUnit makes a new instance per test, so each
/// test gets its own <see cref="TestScope"/>, cleaned up however the test ends (pass, failure,
/// exception, timeout, cancellation), and its messages go into the test's output. A failed or
/// timed-out test's containers' state and last log lines go into its output too; with
/// <c>AGENTS_RUNNER_KEEP_FAILED=1</c> its resources are kept for a look instead of removed.
/// </summary>
/// <param name="fixture">The run's session fixture (registered with <c>[assembly: AssemblyFixture(typeof(DockerSessionFixture))]</c>).</param>
public abstract class DockerTest(DockerSessionFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DiagnosticsLimit = TimeSpan.FromSeconds(15);
    private TestScope? _scope;
    private CancellationToken _testCancellation;
    private CancellationTokenRegistration _onCancelled;
    private System.Diagnostics.Activity? _span;

    /// <summary>This test's scope: create containers, networks and volumes through it.</summary>
    /// <exception cref="InvalidOperationException">Read outside the test (before it starts or after it ends).</exception>
    protected TestScope Scope => _scope ?? throw new InvalidOperationException("The scope exists only while the test runs.");

    /// <summary>The session shared by all tests of the run.</summary>
    protected TestSession Session => Scope.Session;

    /// <summary>The docker client.</summary>
    protected DockerCli Docker => Session.Docker;

    /// <summary>The test's cancellation token (cancelled when the test times out or the run is aborted).</summary>
    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Starts the session if needed (or skips the test when no engine answers) and begins the test's scope.</summary>
    public virtual async ValueTask InitializeAsync()
    {
        var session = await fixture.GetSessionAsync().ConfigureAwait(false);
        var context = TestContext.Current;
        var name = context.Test?.TestDisplayName ?? GetType().Name;
        _span = TestSpans.Start(name, GetType().FullName ?? GetType().Name);
        _scope = session.BeginScope(name, new TestOutputSink(context.TestOutputHelper, name).Write);
        _testCancellation = context.CancellationToken;
        // xUnit cancels a timed-out test's token just before it reports the test as failed, and runs
        // the test's cleanup only later: the diagnostics must reach the output now, or never.
        _onCancelled = _testCancellation.Register(static state => ((DockerTest)state!).WriteDiagnosticsNow(), this);
    }

    /// <summary>Ends the test's scope: removes what it made and waits until the engine confirms it (or keeps a failed test's resources).</summary>
    /// <exception cref="ScopeCleanupException">Something could not be removed; the session's end reports it as well.</exception>
    public virtual async ValueTask DisposeAsync()
    {
        using var ending = TestSpans.StopWhenDisposed(_span, TestFailed);
        await _onCancelled.DisposeAsync().ConfigureAwait(false);
        if (_scope is not null)
        {
            // The test's own token may be cancelled already (timeout, abort): cleanup gets its own bound.
            using var limit = new CancellationTokenSource(CleanupLimit);
            await _scope.CleanupAsync(TestFailed(), limit.Token).ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    // A timed-out test ends after xUnit has moved on, when the state xUnit reports here may say
    // anything; a cancelled token says for sure that the test did not finish on its own.
    private bool TestFailed() =>
        _testCancellation.IsCancellationRequested
        || TestContext.Current.CancellationToken.IsCancellationRequested
        || TestContext.Current.TestState?.Result is TestResult.Failed;

    private void WriteDiagnosticsNow()
    {
        if (_scope is not { } scope)
        {
            return;
        }

        try
        {
            using var limit = new CancellationTokenSource(DiagnosticsLimit);
            Task.Run(() => scope.WriteDiagnosticsAsync(limit.Token)).GetAwaiter().GetResult();
        }
        catch (Exception failure) when (failure is OperationCanceledException or Errors.DockerException)
        {
            scope.Session.Options.Log($"agents-runner: could not read the state of '{scope.TestName}''s containers at its timeout: {failure.Message}");
        }
    }
}
