namespace AgentsRunner.Docker.Isolation;

/// <summary>A container's logs so far, its standard output and standard error apart.</summary>
/// <param name="StandardOutput">What the container printed on standard output.</param>
/// <param name="StandardError">What it printed on standard error.</param>
public sealed record ContainerLogs(string StandardOutput, string StandardError)
{
    /// <summary>The standard output, line by line.</summary>
    public IReadOnlyList<string> OutputLines => Lines(StandardOutput);

    /// <summary>The standard error, line by line.</summary>
    public IReadOnlyList<string> ErrorLines => Lines(StandardError);

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
}
