using System.Diagnostics;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Telemetry;

/// <summary>
/// The span of one docker call (<see cref="DockerCli.ExecuteAsync"/> or <see cref="DockerCli.StreamAsync"/>,
/// across its attempts): named <c>docker SUB-COMMAND</c>, with OpenTelemetry's process attributes
/// (<c>process.command_args</c>, redacted; <c>process.exit.code</c>; <c>error.type</c>), the number
/// of attempts, and an event for each retry with its reason.
/// </summary>
internal static class DockerCallSpans
{
    public const string AttemptsTag = "agents_runner.docker.attempts";
    public const string RetryReasonTag = "agents_runner.docker.retry_reason";
    private const string ArgumentsTag = "process.command_args";

    public static Activity? Start(DockerCommand command, bool stream = false)
    {
        if (!Tracing.Source.HasListeners())
        {
            return null;
        }

        var subCommand = CommandWords.SubCommand(command.Arguments);
        var span = Tracing.Start("docker " + subCommand);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("process.executable.name", "docker");
            span.SetTag(ArgumentsTag, ArgumentRedactor.Redact(command.Arguments).ToArray());
            span.SetTag("agents_runner.docker.command", subCommand);
            if (stream)
            {
                span.SetTag("agents_runner.docker.stream", true);
            }
        }

        return span;
    }

    /// <summary>Ends the span of a call that returned.</summary>
    public static void Returned(Activity? span, DockerResult result)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("process.exit.code", result.ExitCode);
        span.SetTag(AttemptsTag, result.Attempts);
        if (result.Adopted)
        {
            span.SetTag("agents_runner.docker.adopted", true);
        }

        Tracing.Stop(span);
    }

    /// <summary>Ends the span of a call that threw.</summary>
    public static void Threw(Activity? span, Exception failure)
    {
        if (span is null)
        {
            return;
        }

        if (failure is DockerException { ExitCode: { } exitCode })
        {
            span.SetTag("process.exit.code", exitCode);
        }

        if (failure is ContainerCommandException)
        {
            // The command in the container exited non-zero: its result, not docker's failure.
            Tracing.Stop(span);
            return;
        }

        Tracing.Stop(span, failure);
    }

    /// <summary>A retry of the current call: counted, and an event on its span with the reason.</summary>
    public static void Retrying(IReadOnlyList<string> arguments, int nextAttempt, string reason)
    {
        DockerMetrics.Retry(arguments);
        if (Activity.Current is not { } span || span.Source != Tracing.Source || span.GetTagItem(ArgumentsTag) is null)
        {
            return;
        }

        try
        {
            span.SetTag(AttemptsTag, nextAttempt);
            span.SetTag(RetryReasonTag, reason);
            span.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
            {
                ["agents_runner.docker.attempt"] = nextAttempt,
                [RetryReasonTag] = reason,
            }));
        }
        catch (Exception)
        {
            // A listener's failure is not the test's.
        }
    }
}
