using System.Collections.Concurrent;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Isolation;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>The session's setup (the sweep and the image check) runs while the first tests do, on the fake docker.</summary>
public sealed class SessionSetupTests
{
    private const string Image = "unit-test/image:1";
    private const string ImageId = "sha256:0123456789abcdef";
    private const string MissingImage = $"docker: Error response from daemon: No such image: {Image}\n\nRun 'docker run --help' for more information";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<string> _log = new();

    [Fact]
    public async Task StartAsync_WhileTheSweepIsStillListing_ReturnsWithTheSetupStillRunning()
    {
        // Arrange
        using var fake = Engine().Prints($"{ImageId}\n", "image inspect").Hangs("ps");

        // Act
        var session = await TestSession.StartAsync(Options(fake), TestContext.Current.CancellationToken).WaitAsync(StartLimit, TestContext.Current.CancellationToken);

        // Assert
        var ready = session.WaitUntilReadyAsync(TestContext.Current.CancellationToken);
        ready.IsCompleted.ShouldBeFalse();
        session.Sweep.Orphans.ShouldBeEmpty();
        session.Image.Name.ShouldBe(Image);
        await EndCancelledAsync(session);
    }

    [Fact]
    public async Task StartAsync_InStrictMode_WaitsForTheSweep()
    {
        // Arrange
        using var fake = Engine().Prints($"{ImageId}\n", "image inspect").Hangs("ps");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // Act
        var start = TestSession.StartAsync(Options(fake) with { StrictSweep = true }, stop.Token);
        await WaitForCallAsync(fake, "ps");

        // Assert
        start.IsCompleted.ShouldBeFalse(fake.ToString());
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => start);
    }

    [Fact]
    public async Task StartAsync_InStrictMode_FailsOnAnOrphanBeforeAnyTest()
    {
        // Arrange
        using var fake = Engine().Prints($"{ImageId}\n", "image inspect").Prints(OrphanLine(), "ps");

        // Act
        var failure = await Should.ThrowAsync<OrphansFoundException>(() => TestSession.StartAsync(Options(fake) with { StrictSweep = true }, TestContext.Current.CancellationToken));

        // Assert
        failure.Orphans.Select(o => o.Resource.Name).ShouldBe(["agents-runner-test-orphan"]);
        fake.CallsTo("rm").ShouldBe(0);
    }

    [Fact]
    public async Task WaitUntilReadyAsync_WhenTheSetupSucceeded_GivesTheImagesId()
    {
        // Arrange
        using var fake = Engine().Prints($"{ImageId}\n", "image inspect");
        await using var session = await TestSession.StartAsync(Options(fake), TestContext.Current.CancellationToken);

        // Act
        await session.WaitUntilReadyAsync(TestContext.Current.CancellationToken);

        // Assert
        session.Image.ShouldBe(new SessionImage(Image, ImageId));
        session.Sweep.Orphans.ShouldBeEmpty();
    }

    [Fact]
    public async Task WaitUntilReadyAsync_AfterTheSweepRemovedAnOrphan_GivesItAndTheSetupLogsIt()
    {
        // Arrange
        using var fake = Engine()
            .Prints($"{ImageId}\n", "image inspect")
            .Prints(OrphanLine(), "ps", times: 1)
            .Prints("orphan1\n", "rm")
            .Fails(1, "Error: No such object: orphan1", "container inspect");
        await using var session = await TestSession.StartAsync(Options(fake), TestContext.Current.CancellationToken);

        // Act
        await session.WaitUntilReadyAsync(TestContext.Current.CancellationToken);

        // Assert
        session.Sweep.Orphans.Select(o => o.Resource.Name).ShouldBe(["agents-runner-test-orphan"]);
        _log.ShouldContain(line => line.Contains("removed 1 orphan(s) of dead test sessions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WaitUntilReadyAsync_WhenTheImageIsMissing_RethrowsTheSetupsFailure()
    {
        // Arrange
        using var fake = Engine().Fails(1, $"Error response from daemon: No such image: {Image}", "image inspect");
        var session = await TestSession.StartAsync(Options(fake), TestContext.Current.CancellationToken);

        // Act
        var failure = await Should.ThrowAsync<InvalidOperationException>(() => session.WaitUntilReadyAsync(TestContext.Current.CancellationToken));

        // Assert
        failure.Message.ShouldContain($"The test image '{Image}'");
        await Should.ThrowAsync<SessionEndException>(() => session.EndAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task BeginScope_AfterTheSetupFailed_ThrowsSayingSo()
    {
        // Arrange
        using var fake = Engine().Fails(1, $"Error response from daemon: No such image: {Image}", "image inspect");
        var session = await TestSession.StartAsync(Options(fake), TestContext.Current.CancellationToken);
        await Should.ThrowAsync<InvalidOperationException>(() => session.WaitUntilReadyAsync(TestContext.Current.CancellationToken));

        // Act
        var failure = Should.Throw<SessionSetupException>(() => session.BeginScope("a test"));

        // Assert
        failure.Message.ShouldContain("the session's setup failed");
        failure.InnerException.ShouldBeOfType<InvalidOperationException>();
        await Should.ThrowAsync<SessionEndException>(() => session.EndAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EndAsync_AfterTheSetupFailed_ReportsItAsAProblem()
    {
        // Arrange
        using var fake = Engine().Fails(1, $"Error response from daemon: No such image: {Image}", "image inspect");
        var session = await TestSession.StartAsync(Options(fake), TestContext.Current.CancellationToken);

        // Act
        var failure = await Should.ThrowAsync<SessionEndException>(() => session.EndAsync(TestContext.Current.CancellationToken));

        // Assert
        failure.Problems.ShouldHaveSingleItem().ShouldStartWith($"the session's setup failed: The test image '{Image}'");
    }

    [Fact]
    public async Task RunContainerAsync_WhenTheSessionsImageIsMissing_WaitsForTheSetupAndTriesOnceMore()
    {
        // Arrange
        using var fake = Engine().Prints($"{ImageId}\n", "image inspect").Fails(125, MissingImage, "run", times: 1).Prints("c0ffee\n", "run");
        var session = await TestSession.StartAsync(Options(fake), TestContext.Current.CancellationToken);
        var scope = session.BeginScope("a test");

        // Act
        var container = await scope.RunContainerAsync(ContainerSpec.Of("true"), TestContext.Current.CancellationToken);

        // Assert
        container.Id.ShouldBe("c0ffee");
        fake.CallsTo("run").ShouldBe(2);
        session.Image.Id.ShouldBe(ImageId);
        await session.EndAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RunContainerAsync_WhenAnotherImageIsMissing_FailsWithoutTryingAgain()
    {
        // Arrange
        using var fake = Engine().Prints($"{ImageId}\n", "image inspect").Fails(125, MissingImage.Replace(Image, "other:2", StringComparison.Ordinal), "run");
        var session = await TestSession.StartAsync(Options(fake), TestContext.Current.CancellationToken);
        var scope = session.BeginScope("a test");

        // Act
        await Should.ThrowAsync<DockerNotFoundException>(() => scope.RunContainerAsync(ContainerSpec.Of("true") with { Image = "other:2" }, TestContext.Current.CancellationToken));

        // Assert
        fake.CallsTo("run").ShouldBe(1);
        await session.EndAsync(TestContext.Current.CancellationToken);
    }

    // A listed container of a dead session (its expiry passed), in the session's sweep domain.
    private static string OrphanLine()
    {
        var expired = DateTimeOffset.UtcNow.AddHours(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return $"orphan1\tagents-runner-test-orphan\tdead-session\t\t\t\t\t\t\t{expired}\t\tdefault\n";
    }

    private static FakeDocker Engine() => FakeDocker.QuietEngine();

    private TestSessionOptions Options(FakeDocker fake) => fake.SessionOptions(Image, _log.Enqueue);

    // An end cancelled while the setup still runs: it stops the setup and the event stream.
    private static async Task EndCancelledAsync(TestSession session)
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => session.EndAsync(cancelled.Token));
    }

    private static Task WaitForCallAsync(FakeDocker fake, string command) =>
        fake.WaitUntilAsync(() => fake.CallsTo(command) > 0, $"A '{command}' call", TestContext.Current.CancellationToken);
}
