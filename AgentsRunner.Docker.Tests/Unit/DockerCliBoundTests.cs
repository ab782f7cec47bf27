using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using Microsoft.Extensions.Time.Testing;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// The bound on docker calls at once (<see cref="DockerCliOptions.MaxConcurrentCalls"/>): a call
/// past it waits for a place before its process starts, and its time limit starts with it.
/// </summary>
public sealed class DockerCliBoundTests
{
    private static readonly TimeSpan HalfASecond = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task A_call_past_the_bound_starts_when_a_place_frees_and_its_time_limit_starts_then()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Hangs();
        var clock = new FakeTimeProvider();
        // Two places (removals are not retried after a timeout).
        var cli = new DockerCli(fake.OptionsOn(clock) with { MaxConcurrentCalls = 2 });
        var calls = new List<Task<DockerResult>>();
        for (var n = 1; n <= 3; n++)
        {
            // One at a time, so that the fake numbers its calls in order.
            calls.Add(cli.ExecuteAsync(DockerCommand.Of("rm", $"c{n}") with { Timeout = HalfASecond }, cancellation));
            if (n < 3)
            {
                await fake.WaitForHangingPidAsync(n, cancellation);
            }
        }

        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellation);
        var startedBeforeAPlaceFreed = fake.Invocations;

        // Act: the two running calls time out; the third starts, on a limit of its own.
        clock.Advance(HalfASecond);
        await fake.WaitForHangingPidAsync(3, cancellation);
        var thirdAfterTheFirstTwoTimedOut = calls[2].IsCompleted;
        clock.Advance(HalfASecond);

        // Assert
        startedBeforeAPlaceFreed.ShouldBe(2, fake.ToString());
        thirdAfterTheFirstTwoTimedOut.ShouldBeFalse("the waiting call's time limit ran while it waited for a place");
        foreach (var call in calls)
        {
            await Should.ThrowAsync<DockerTimeoutException>(() => call);
        }

        fake.Invocations.ShouldBe(3);
    }

    [Fact]
    public async Task Creates_hold_at_most_half_the_places_and_reads_and_removals_pass_them()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Hangs("volume").Prints("x", "inspect").Prints("c1", "rm");
        var cli = new DockerCli(fake.Options with { MaxConcurrentCalls = 4 });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var creates = new List<Task<DockerResult>>();
        for (var n = 1; n <= 3; n++)
        {
            var name = $"v{n}";
            creates.Add(cli.ExecuteAsync(new DockerCommand(["volume", "create", name]) { Shape = ResourceKind.Volume.Creates(name, new Dictionary<string, string>()) }, stop.Token));
            if (n < 3)
            {
                await fake.WaitForHangingPidAsync(n, cancellation);
            }
        }

        // Act
        var inspect = await cli.ExecuteAsync(DockerCommand.Read("inspect", "c1"), cancellation);
        var removal = await cli.ExecuteAsync(DockerCommand.Of("rm", "c1"), cancellation);
        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellation);

        // Assert
        inspect.StandardOutput.ShouldBe("x");
        removal.StandardOutput.ShouldBe("c1");
        fake.CallsTo("volume").ShouldBe(2, fake.ToString());
        await stop.CancelAsync();
        foreach (var create in creates)
        {
            await Should.ThrowAsync<OperationCanceledException>(() => create);
        }

        fake.CallsTo("volume").ShouldBe(2, "a create cancelled while it waited for a place started after all");
    }

    [Fact]
    public async Task A_call_without_a_time_limit_or_in_a_container_takes_no_place()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Hangs("wait").Hangs("exec").Prints("x", "inspect");
        var cli = new DockerCli(fake.Options with { MaxConcurrentCalls = 1 });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var wait = cli.ExecuteAsync(DockerCommand.Read("wait", "c") with { Timeout = Timeout.InfiniteTimeSpan }, stop.Token);
        await fake.WaitForHangingPidAsync(1, cancellation);
        var exec = cli.ExecuteAsync(DockerCommand.Exec("exec", "c", "sleep", "60"), stop.Token);
        await fake.WaitForHangingPidAsync(2, cancellation);

        // Act
        var inspect = await cli.ExecuteAsync(DockerCommand.Read("inspect", "c"), cancellation);

        // Assert
        inspect.StandardOutput.ShouldBe("x");
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => wait);
        await Should.ThrowAsync<OperationCanceledException>(() => exec);
    }

    [Fact]
    public async Task A_call_cancelled_while_it_waits_for_a_place_never_starts()
    {
        // Arrange
        var cancellation = TestContext.Current.CancellationToken;
        using var fake = FakeDocker.Create().Hangs();
        var cli = new DockerCli(fake.Options with { MaxConcurrentCalls = 1 });
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var stopSecond = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var first = cli.ExecuteAsync(DockerCommand.Of("rm", "a"), stopFirst.Token);
        await fake.WaitForHangingPidAsync(1, cancellation);
        var second = cli.ExecuteAsync(DockerCommand.Of("rm", "b"), stopSecond.Token);

        // Act
        await stopSecond.CancelAsync();

        // Assert
        await Should.ThrowAsync<OperationCanceledException>(() => second);
        await stopFirst.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => first);
        fake.Invocations.ShouldBe(1, fake.ToString());
    }
}
