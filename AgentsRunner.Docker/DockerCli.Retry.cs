using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Telemetry;
using Polly;
using Polly.Retry;

namespace AgentsRunner.Docker;

public sealed partial class DockerCli
{
    private static readonly ResiliencePropertyKey<long> FirstAttemptAt = new("agents-runner.first-attempt");
    private static readonly ResiliencePropertyKey<int> CountedFaults = new("agents-runner.counted-faults");
    private static readonly ResiliencePropertyKey<CommandRun?> RunOfCommand = new("agents-runner.command-run");
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
    // A failed adoption look-up has had its own retries, and is not retried again.
    private bool ShouldRetry(DockerException failure, ResilienceContext context)
    {
        var run = context.Properties.GetValue(RunOfCommand, null);
        if (run is null || ReferenceEquals(failure, run.LookUpFailure) || !IsRetryable(failure, run.Shape))
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

        return shape.Intent == CommandIntent.ReadOnly || (shape.Intent == CommandIntent.Creates && shape.Adopter is not null);
    }

    // The request may or may not have been carried out by the engine.
    private static bool IsAmbiguous(DockerException failure) =>
        failure.Kind is DockerErrorKind.Timeout or DockerErrorKind.TransientEngineError;

    // A detached run that could not reach the engine for its start request has created its container.
    private static bool MayHaveCreated(CommandShape shape, DockerException failure) =>
        shape.StartsContainer && failure.Kind == DockerErrorKind.DaemonUnavailable;
}
