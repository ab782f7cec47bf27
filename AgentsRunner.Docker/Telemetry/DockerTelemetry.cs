namespace AgentsRunner.Docker.Telemetry;

/// <summary>
/// The names this library's traces and metrics are published under, for an OpenTelemetry
/// <c>AddSource</c> / <c>AddMeter</c> or an <see cref="System.Diagnostics.ActivityListener"/> /
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>. Nothing is recorded unless something listens.
/// </summary>
internal static class DockerTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of the spans: test, scope, container, docker call, wait, session.</summary>
    public const string SourceName = "AgentsRunner.Docker";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of the metrics: docker calls, retries, adoptions, removal lag, containers alive, leaks, orphans.</summary>
    public const string MeterName = "AgentsRunner.Docker";
}
