namespace AgentsRunner.Docker.Tests.Telemetry;

/// <summary>A run drawn as rows (the sessions, then each test by its start) of bars on one time axis.</summary>
public sealed record Timeline(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<TimelineRow> Rows)
{
    public int Containers => Rows.Sum(row => row.Bars.Count(bar => bar.Kind == BarKind.Container));

    public int Tests => Rows.Count(row => row.Kind == RowKind.Test);

    public int FailedTests => Rows.Count(row => row.Kind == RowKind.Test && row.Failed);
}

public enum RowKind
{
    Session,
    Test,
}

public enum BarKind
{
    Session,
    Container,
}

/// <summary>One row: a test (from its start to its end, failed or not) or a session, with its bars in lanes that do not overlap.</summary>
public sealed record TimelineRow(RowKind Kind, string Label, DateTimeOffset Start, DateTimeOffset End, bool Failed, IReadOnlyList<TimelineBar> Bars)
{
    public int Lanes => Bars.Count == 0 ? 1 : Bars.Max(bar => bar.Lane) + 1;
}

/// <summary>One bar: a container from its create to its confirmed removal, or a step of a session.</summary>
public sealed record TimelineBar(BarKind Kind, string Label, DateTimeOffset Start, DateTimeOffset End, bool Failed, int Lane, string Detail);
