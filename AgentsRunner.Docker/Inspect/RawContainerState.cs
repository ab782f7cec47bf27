using System.Globalization;

namespace AgentsRunner.Docker.Inspect;

/// <summary>The JSON shape of <c>.State</c>; dates stay text, since the engine writes nanoseconds and a zero date for "never".</summary>
internal sealed record RawContainerState(
    string? Status,
    bool Running,
    bool Paused,
    bool Restarting,
    bool OOMKilled,
    bool Dead,
    int Pid,
    int ExitCode,
    string? Error,
    string? StartedAt,
    string? FinishedAt,
    RawHealthState? Health)
{
    public ContainerState ToState() => new(
        Status ?? string.Empty,
        Running,
        Paused,
        Restarting,
        OOMKilled,
        Dead,
        Pid,
        ExitCode,
        Error ?? string.Empty,
        ParseTime(StartedAt),
        ParseTime(FinishedAt),
        Health is null ? null : new HealthState(Health.Status ?? string.Empty, Health.FailingStreak));

    /// <summary>RFC 3339 with up to nine fraction digits; the zero time (year 1) means "never".</summary>
    internal static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.StartsWith("0001-01-01", StringComparison.Ordinal))
        {
            return null;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            // .NET parses at most seven fraction digits: drop the nanoseconds beyond them.
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            var digits = Math.Min(end - dot - 1, 7);
            text = text[..(dot + 1 + digits)] + text[end..];
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}

/// <summary>The JSON shape of <c>.State.Health</c>.</summary>
internal sealed record RawHealthState(string? Status, int FailingStreak);
