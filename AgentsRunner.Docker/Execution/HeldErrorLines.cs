using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Execution;

/// <summary>
/// Passes one attempt's standard error lines on to a stream's consumer, except the CLI's message
/// that it could not connect, while that is all the attempt printed: held back until the attempt
/// prints anything else (it had connected), and at its end passed on when the attempt is final, or
/// dropped when the attempt is tried again (the retry's log line carries it). So a retried attempt
/// leaves no line in a task's or a log stream's output.
/// </summary>
internal sealed class HeldErrorLines(Action<string>? onErrorLine)
{
    private readonly Lock _gate = new();
    private readonly List<string> _held = [];
    private bool _passing;

    /// <summary>Whether any line, of either stream, was passed on: then the attempt had connected.</summary>
    public bool PassedAny { get; private set; }

    /// <summary>Takes a standard error line.</summary>
    public void AddError(string line)
    {
        lock (_gate)
        {
            if (!_passing && CliMessage.MayBeConnectFailure(line, afterOpening: _held.Count > 0))
            {
                _held.Add(line);
                return;
            }

            PassHeld();
            PassedAny = true;
            onErrorLine?.Invoke(line);
        }
    }

    /// <summary>Notes a standard output line (passed on by the caller): the held lines go first.</summary>
    public void BeforeOutput()
    {
        lock (_gate)
        {
            PassHeld();
            PassedAny = true;
        }
    }

    /// <summary>At the attempt's end: passes on what is held when <paramref name="final"/>, else drops it.</summary>
    public void End(bool final)
    {
        lock (_gate)
        {
            if (final)
            {
                PassHeld();
            }

            _held.Clear();
        }
    }

    private void PassHeld()
    {
        _passing = true;
        foreach (var line in _held)
        {
            onErrorLine?.Invoke(line);
        }

        _held.Clear();
    }
}
