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

    /// <summary>Starts the session if needed (or skips the test when no engine answers) and begins the test's scope.</summary>
    public virtual async ValueTask InitializeAsync()
    {
        var session = await fixture.GetSessionAsync().ConfigureAwait(false);
        var context = TestContext.Current;
        var name = context.Test?.TestDisplayName ?? GetType().Name;
        _span = TestSpans.Start(name, GetType().FullName ?? GetType().Name);
        _scope = session.BeginScope(name, new TestOutputSink(context.TestOutputHelper, name).Write);
        _scope.ArtifactSink = (artifact, path) => ForensicsAttachment.Attach(context, artifact, path);
        _testCancellation = context.CancellationToken;
        // xUnit cancels a timed-out test's token just before it reports the test as failed, and runs
        // the test's cleanup only later, if ever (a test that ignores its token never returns): the
        // diagnostics must reach the output now, and its resources are removed without waiting for it.
        _onCancelled = _testCancellation.Register(static state => ((DockerTest)state!)._scope?.EndAfterTimeout(DiagnosticsLimit), this);
    }

    /// <summary>Ends the test's scope: removes what it made and waits until the engine confirms it (or keeps a failed test's resources).</summary>
    /// <exception cref="ScopeCleanupException">Something could not be removed; the session's end reports it as well.</exception>
    public virtual async ValueTask DisposeAsync()
    {
        using var ending = TestSpans.StopWhenDisposed(_span, TestFailed);
        // Unregistering while xUnit cancels the token could drop the callback before it ran: the
        // diagnostics would then be written after xUnit closed the test's output.
        if (!_testCancellation.IsCancellationRequested)
        {
            await _onCancelled.DisposeAsync().ConfigureAwait(false);
        }

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
}
