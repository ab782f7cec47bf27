namespace AgentsRunner.Docker.Execution;

/// <summary>
/// The one backoff of the library's own loops outside the retry pipeline (a stream's reconnection,
/// a removal's poll, a readiness probe, a lease's renewal, a host lock): each wait twice as long as
/// the one before, from <c>first</c> to at most <c>longest</c>, timed by the given clock, so a test's
/// fake clock drives them all.
/// </summary>
/// <param name="first">The first wait.</param>
/// <param name="longest">The longest wait.</param>
/// <param name="clock">Times the waits.</param>
internal sealed class Backoff(TimeSpan first, TimeSpan longest, TimeProvider clock)
{
    private TimeSpan? _next;

    /// <summary>How long the next <see cref="WaitAsync"/> waits.</summary>
    public TimeSpan Next
    {
        get => _next ?? first;
        private set => _next = value;
    }

    /// <summary>Waits <see cref="Next"/>, then doubles it (up to the longest wait).</summary>
    /// <param name="cancellationToken">Ends the wait early, with an <see cref="OperationCanceledException"/>.</param>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var delay = Next;
        Next = TimeSpan.FromTicks(Math.Min(Math.Max(delay.Ticks * 2, 1), longest.Ticks));
        await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts again from the first wait (after a success).</summary>
    public void Reset() => _next = null;
}
