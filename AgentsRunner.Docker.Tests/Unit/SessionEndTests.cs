using System.Collections.Concurrent;
using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>What the session's end reports, on the fake docker.</summary>
public sealed class SessionEndTests
{
    private const string SessionId = "unit-end-0123456789ab";
    private const string ContainerId = "c0ffee";
    private readonly ConcurrentQueue<string> _log = new();

    [Fact]
    public async Task What_a_failed_cleanup_left_is_removed_at_the_end_and_fails_only_its_own_test()
    {
        // Arrange: the scope's removal is refused once; by the session's end the engine lets it go.
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = EngineWithTheImage()
            .Prints($"{ContainerId}\n", "run")
            .Fails(1, $"Error response from daemon: You cannot remove a running container {ContainerId}. Stop the container before attempting removal or force remove", "rm", times: 1)
            .Prints($"{ContainerId}\n", "rm")
            .Fails(1, $"Error: No such object: {ContainerId}", "container inspect");
        var session = await TestSession.StartAsync(Options(fake), cancellation);
        var scope = session.BeginScope("a test");
        await scope.RunContainerAsync(ContainerSpec.Of("sleep", "60"), cancellation);

        // Act
        await Should.ThrowAsync<ScopeCleanupException>(() => scope.CleanupAsync(testFailed: false, cancellation));
        fake.Prints($"{ContainerId}\tagents-runner-test-a-test\t{SessionId}\ta test\t\t\t\t\t\t\t\tdefault\t\t\t{scope.Id}\n", "ps");
        await session.EndAsync(cancellation);

        // Assert
        fake.CallsTo("rm").ShouldBe(2, fake.ToString());
        _log.ShouldContain(line => line.Contains($"which the cleanup of test 'a test' could not remove", StringComparison.Ordinal), string.Join('\n', _log));
    }

    [Fact]
    public async Task A_container_no_scope_removed_is_a_leak_of_its_test()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = EngineWithTheImage()
            .Prints($"{ContainerId}\n", "rm")
            .Fails(1, $"Error: No such object: {ContainerId}", "container inspect")
            .Prints($"{ContainerId}\tagents-runner-test-other\t{SessionId}\tanother test\t\t\t\t\t\t\t\tdefault\t\t\tsome-scope\n", "ps");
        var session = await TestSession.StartAsync(Options(fake), cancellation);

        // Act
        var failure = await Should.ThrowAsync<SessionEndException>(() => session.EndAsync(cancellation));

        // Assert
        failure.Problems.ShouldHaveSingleItem().ShouldStartWith("leaked by test 'another test'");
    }

    private static FakeDocker EngineWithTheImage() => FakeDocker.QuietEngine().Prints("sha256:0123456789abcdef\n", "image inspect");

    private TestSessionOptions Options(FakeDocker fake) => fake.SessionOptions("unit-test/image:1", _log.Enqueue, SessionId);
}
