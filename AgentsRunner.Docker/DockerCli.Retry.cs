using System.Text.Json;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Inspect;
using AgentsRunner.Docker.Telemetry;
using Polly;
using Polly.Retry;

namespace AgentsRunner.Docker;

public sealed partial class DockerCli
{
    private static readonly ResiliencePropertyKey<long> FirstAttemptAt = new("agents-runner.first-attempt");
    private static readonly ResiliencePropertyKey<int> CountedFaults = new("agents-runner.counted-faults");
    private static readonly ResiliencePropertyKey<CommandShape> ShapeOfCommand = new("agents-runner.command-shape");
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(2);

    private ResiliencePipeline BuildRetryPipeline()
    {
        if (Options.MaxRetryAttempts == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = Options.TimeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is DockerException failure && ShouldRetry(failure, args.Context)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = Options.RetryBaseDelay,
                MaxDelay = LongestRetryDelay,
                OnRetry = args =>
                {
                    var failure = (DockerException)args.Outcome.Exception!;
                    LogRetry(failure.Arguments, args.AttemptNumber + 2, args.RetryDelay, failure.Message);
                    return default;
                },
            })
            .Build();
    }

    // An unreachable engine is retried for as long as the outage window lasts, without using up
    // the retries of other faults; those (and an outage past its window) get MaxRetryAttempts.
    private bool ShouldRetry(DockerException failure, ResilienceContext context)
    {
        if (!IsRetryable(failure, context.Properties.GetValue(ShapeOfCommand, CommandShape.ChangesState)))
        {
            return false;
        }

        var since = context.Properties.GetValue(FirstAttemptAt, Options.TimeProvider.GetTimestamp());
        if (failure.Kind == DockerErrorKind.DaemonUnavailable && Options.TimeProvider.GetElapsedTime(since) < Options.EngineOutageWindow)
        {
            return true;
        }

        var faults = context.Properties.GetValue(CountedFaults, 0) + 1;
        context.Properties.Set(CountedFaults, faults);
        return faults <= Options.MaxRetryAttempts;
    }

    /// <summary>
    /// Retried: an engine that could not be reached (the request never arrived), and timeouts or
    /// passing engine faults of commands that only read, or that create a named object (the retry
    /// then looks for what the failed attempt made). Never: not found, conflict, bad arguments,
    /// cancellation (Polly never handles it), or any other failure.
    /// </summary>
    internal static bool IsRetryable(DockerException failure, CommandShape shape)
    {
        if (failure is DockerExecutableNotFoundException or DockerAmbiguousCreateException)
        {
            return false;
        }

        if (failure.Kind == DockerErrorKind.DaemonUnavailable)
        {
            return true;
        }

        if (!IsAmbiguous(failure))
        {
            return false;
        }

        return shape.Intent == CommandIntent.ReadOnly || (shape.Intent == CommandIntent.Creates && shape.Name is not null);
    }

    // The request may or may not have been carried out by the engine.
    private static bool IsAmbiguous(DockerException failure) =>
        failure.Kind is DockerErrorKind.Timeout or DockerErrorKind.TransientEngineError;

    // A detached run that could not reach the engine for its start request has created its container.
    private static bool MayHaveCreated(CommandShape shape, DockerException failure) =>
        shape.StartsContainer && failure.Kind == DockerErrorKind.DaemonUnavailable;

    /// <summary>
    /// After an ambiguous failure of a creating command: the object the failed attempt may have
    /// made, adopted when it carries every label the command set; null when there is none.
    /// </summary>
    private async Task<DockerResult?> TryAdoptAsync(DockerCommand command, CommandShape shape, DockerException cause, CancellationToken cancellationToken)
    {
        var name = shape.Name!;
        var format = shape.ObjectKind switch
        {
            "container" => "{{.Id}} {{json .Config.Labels}}",
            "volume" => "{{.Name}} {{json .Labels}}",
            _ => "{{.Id}} {{json .Labels}}",
        };
        var lookup = new DockerCommand([shape.ObjectKind!, "inspect", "--format", format, name]) { Environment = command.Environment, Shape = CommandShape.Reads };
        if (await TryExecuteOnceAsync(lookup, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return null;
        }

        var text = found.StandardOutput.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var id = space < 0 ? text : text[..space];
        Dictionary<string, string>? labels;
        try
        {
            labels = space < 0 ? null : JsonSerializer.Deserialize(text[(space + 1)..], InspectJsonContext.Default.DictionaryStringString);
        }
        catch (JsonException)
        {
            throw new DockerAmbiguousCreateException(command.Arguments, name, $"{shape.ObjectKind} '{name}' exists, but its labels could not be read ('{text}')", cause);
        }

        if (shape.Labels.Count == 0)
        {
            throw new DockerAmbiguousCreateException(command.Arguments, name, $"{shape.ObjectKind} '{name}' exists, but the command set no label to recognise it by", cause);
        }

        if (labels is null || shape.Labels.Any(wanted => !labels.TryGetValue(wanted.Key, out var value) || value != wanted.Value))
        {
            throw new DockerAmbiguousCreateException(command.Arguments, name, $"{shape.ObjectKind} '{name}' exists without the labels the command set", cause);
        }

        if (shape.StartsContainer)
        {
            await StartIfNeverStartedAsync(command, id, cancellationToken).ConfigureAwait(false);
        }

        DockerMetrics.Adopted(command.Arguments);
        return new DockerResult(command.Arguments, 0, id + "\n", string.Empty, TimeSpan.Zero) { Attempts = 0, Adopted = true };
    }

    // A run whose start request was lost: its container exists but never started.
    private async Task StartIfNeverStartedAsync(DockerCommand command, string id, CancellationToken cancellationToken)
    {
        var inspect = new DockerCommand(["container", "inspect", "--format", "{{.State.Status}}", id]) { Environment = command.Environment, Shape = CommandShape.Reads };
        var state = await ExecuteOnceAsync(inspect, attempt: 1, cancellationToken).ConfigureAwait(false);
        if (state.StandardOutput.Trim() == "created")
        {
            var start = new DockerCommand(["start", id]) { Environment = command.Environment, Shape = CommandShape.ChangesState };
            await ExecuteOnceAsync(start, attempt: 1, cancellationToken).ConfigureAwait(false);
        }
    }

    // One attempt of a look-up; null when what it looks up does not exist.
    private async Task<DockerResult?> TryExecuteOnceAsync(DockerCommand lookup, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteOnceAsync(lookup, attempt: 1, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerNotFoundException)
        {
            return null;
        }
    }
}
