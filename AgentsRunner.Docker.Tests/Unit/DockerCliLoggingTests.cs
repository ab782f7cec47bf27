using AgentsRunner.Docker.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerCliLoggingTests
{
    private const string DaemonDown = "Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?";

    private static readonly string[] Secrets = ["hunter2", "t0ken", "pa55word", "k3y-value"];

    private static readonly string[] WithSecrets =
    [
        "run", "-e", "SECRET=hunter2", "--env", "TOKEN=t0ken", "--env=PASSWORD=pa55word", "-eAPI_KEY=k3y-value", "-e", "PASSED_THROUGH", "img",
    ];

    [Fact]
    public async Task ExecuteAsync_EnvironmentValues_AreRedactedInTheLog_WithAttemptAndExitCode()
    {
        // Arrange
        using var fake = FakeDocker.Create().Prints("ok");
        var logger = new CapturingLogger();
        var cli = new DockerCli(fake.Options with { Logger = logger });

        // Act
        await cli.ExecuteAsync(new DockerCommand(WithSecrets), TestContext.Current.CancellationToken);

        // Assert
        var entry = logger.Entries.ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Debug);
        entry.Message.ShouldStartWith(
            "docker run -e SECRET=*** --env TOKEN=*** --env=PASSWORD=*** -eAPI_KEY=*** -e PASSED_THROUGH img exited 0 in ");
        entry.Message.ShouldEndWith("(attempt 1)");
        ShouldHoldNoSecret(logger.Messages);
    }

    [Fact]
    public async Task ExecuteAsync_FailedAttemptsAndRetries_AreLoggedRedacted_WithAttemptNumbersAndExitCodes()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(125, DaemonDown, times: 1).Prints("ok");
        var logger = new CapturingLogger();
        var cli = new DockerCli(fake.Options with { Logger = logger });

        // Act
        await cli.ExecuteAsync(new DockerCommand(WithSecrets), TestContext.Current.CancellationToken);

        // Assert
        logger.Messages.ShouldContain(m => m.Contains("exited 125", StringComparison.Ordinal) && m.EndsWith("(attempt 1)", StringComparison.Ordinal));
        logger.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains("retrying as attempt 2", StringComparison.Ordinal));
        logger.Messages.ShouldContain(m => m.Contains("exited 0", StringComparison.Ordinal) && m.EndsWith("(attempt 2)", StringComparison.Ordinal));
        ShouldHoldNoSecret(logger.Messages);
    }

    [Fact]
    public async Task ExecuteAsync_TimedOut_IsLoggedAsAWarningWithTheAttempt()
    {
        // Arrange
        using var fake = FakeDocker.Create().Hangs();
        var logger = new CapturingLogger();
        var clock = new FakeTimeProvider();
        var cli = new DockerCli(fake.OptionsOn(clock) with { Logger = logger });
        var limit = TimeSpan.FromMilliseconds(300);
        var running = cli.ExecuteAsync(new DockerCommand(WithSecrets) { Timeout = limit }, TestContext.Current.CancellationToken);

        // Act
        await fake.TimeOutAsync(1, clock, limit, TestContext.Current.CancellationToken);
        await Should.ThrowAsync<DockerTimeoutException>(() => running);

        // Assert
        var entry = logger.Entries.ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Warning);
        entry.Message.ShouldContain("timed out after 0.3 s and was killed (attempt 1)");
        ShouldHoldNoSecret(logger.Messages);
    }

    [Fact]
    public async Task ExecuteAsync_Failure_ExceptionMessageIsRedacted_ButArgumentsAreKeptVerbatim()
    {
        // Arrange
        using var fake = FakeDocker.Create().Fails(125, "docker: Error response from daemon: boom");
        var cli = new DockerCli(fake.Options);

        // Act
        var failure = await Should.ThrowAsync<DockerCommandException>(
            () => cli.ExecuteAsync(new DockerCommand(WithSecrets), TestContext.Current.CancellationToken));

        // Assert
        failure.Message.ShouldContain("SECRET=***");
        ShouldHoldNoSecret([failure.Message]);
        failure.Arguments.ShouldBe(WithSecrets);
    }

    private static void ShouldHoldNoSecret(IReadOnlyList<string> messages)
    {
        messages.ShouldNotBeEmpty();
        foreach (var message in messages)
        {
            foreach (var secret in Secrets)
            {
                message.ShouldNotContain(secret);
            }
        }
    }
}
