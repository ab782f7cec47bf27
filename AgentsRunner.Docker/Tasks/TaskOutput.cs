namespace AgentsRunner.Docker.Tasks;

/// <summary>
/// A task's output lines: kept, under a lock (the process's pipes write from their own threads),
/// and passed on to the caller's callbacks as they arrive.
/// </summary>
internal sealed class TaskOutput(Action<string>? onOutput, Action<string>? onError)
{
    private readonly Lock _gate = new();
    private readonly List<string> _output = [];
    private readonly List<string> _errors = [];

    /// <summary>The standard output lines so far.</summary>
    public IReadOnlyList<string> OutputLines => Snapshot(_output);

    /// <summary>The standard error lines so far.</summary>
    public IReadOnlyList<string> ErrorLines => Snapshot(_errors);

    /// <summary>The lines so far, for a person: standard output, then standard error marked as such.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var lines = _output.Concat(_errors.Select(line => "stderr: " + line)).ToList();
            return lines.Count == 0 ? "(it printed nothing)" : string.Join('\n', lines);
        }
    }

    public void AddOutput(string line)
    {
        Add(_output, line);
        onOutput?.Invoke(line);
    }

    public void AddError(string line)
    {
        Add(_errors, line);
        onError?.Invoke(line);
    }

    private void Add(List<string> lines, string line)
    {
        lock (_gate)
        {
            lines.Add(line);
        }
    }

    private IReadOnlyList<string> Snapshot(List<string> lines)
    {
        lock (_gate)
        {
            return [.. lines];
        }
    }
}
