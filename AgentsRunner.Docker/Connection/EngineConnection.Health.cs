namespace AgentsRunner.Docker.Connection;

/// <summary>The connection's health: failures counted, the pause, the reports of each change.</summary>
internal sealed partial class EngineConnection
{
    // The innermost error: for a dial-stdio that failed to start, the CLI's own words (DialStdioStream).
    private static string Reason(Exception failure)
    {
        while (failure.InnerException is { } inner)
        {
            failure = inner;
        }

        return failure.Message;
    }

    private bool IsPaused()
    {
        if (!Volatile.Read(ref _paused))
        {
            return false;
        }

        if (!Volatile.Read(ref _everAnswered) || _clock.GetTimestamp() < Interlocked.Read(ref _pausedUntil))
        {
            return true;
        }

        // The pause is over: the next call asks the engine again, on a fresh connection.
        lock (_state)
        {
            if (_paused && _everAnswered)
            {
                _paused = false;
                _version = null;
                Interlocked.Exchange(ref _failuresInARow, 0);
            }
        }

        return false;
    }

    private void Failed(string reason)
    {
        if (Interlocked.Increment(ref _failuresInARow) < FailuresToPause && _version is not null)
        {
            return;
        }

        bool forGood;
        lock (_state)
        {
            if (_paused)
            {
                return;
            }

            _paused = true;
            forGood = !_everAnswered;
            Interlocked.Exchange(ref _pausedUntil, _clock.GetTimestamp() + (long)(Pause.TotalSeconds * _clock.TimestampFrequency));
        }

        _report(forGood
            ? $"the engine connection over `docker system dial-stdio` did not open ({reason}): docker processes carry every call"
            : $"the engine connection over `docker system dial-stdio` failed ({reason}): docker processes carry its calls for the next {Pause.TotalSeconds:0} s");
    }
}
