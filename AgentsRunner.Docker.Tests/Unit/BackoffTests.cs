using AgentsRunner.Docker.Execution;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Xunit;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>The one backoff of the library's loops: doubling waits, capped, on the clock it is given.</summary>
public sealed class BackoffTests
{
    [Fact]
    public async Task Each_wait_doubles_up_to_the_longest_and_a_reset_starts_again()
    {
        // Arrange
        var clock = new FakeTimeProvider();
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(350), clock);
        var waits = new List<TimeSpan>();

        // Act: each wait ends when the fake clock passes it, never on the wall clock.
        for (var i = 0; i < 4; i++)
        {
            waits.Add(backoff.Next);
            var wait = backoff.WaitAsync(TestContext.Current.CancellationToken);
            wait.IsCompleted.ShouldBeFalse();
            clock.Advance(waits[^1]);
            await wait.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken); // a bound against a hang only
        }

        backoff.Reset();

        // Assert
        waits.ShouldBe([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(350), TimeSpan.FromMilliseconds(350)]);
        backoff.Next.ShouldBe(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_cancelled_wait_throws_at_once()
    {
        // Arrange
        var backoff = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1), new FakeTimeProvider());
        using var stop = new CancellationTokenSource();

        // Act
        var wait = backoff.WaitAsync(stop.Token);
        await stop.CancelAsync();

        // Assert
        await Should.ThrowAsync<OperationCanceledException>(() => wait);
    }
}
