using System.Diagnostics;
using System.Runtime.ExceptionServices;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Telemetry;
using Polly;

namespace AgentsRunner.Docker;

/// <summary>
/// Runs the docker CLI: the one place in this library that starts a docker process.
/// Arguments go to the process as a list (never through a shell), every call has a time limit
/// and honours cancellation (the process is killed), a non-zero exit becomes a typed
/// <see cref="DockerException"/>, and transient faults are retried with backoff.
/// Thread-safe: one instance serves a whole test session.
/// </summary>
public sealed partial class DockerCli
{
    // Built at the first failure: most calls never fail, and building it costs a fresh process
    // about 20 ms (Polly's options validation and its types), which a test run's start would wait for.
    private readonly Lazy<ResiliencePipeline> _retry;
    private readonly Lazy<string?> _resolvedExecutable;
    private long _unreachableAttempts;
    private readonly ProcessBound _places;

    /// <summary>Makes a client; the options are validated here, once.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public DockerCli(DockerCliOptions? options = null)
    {
        Options = options ?? new DockerCliOptions();
        Options.Validate();
        _retry = new(BuildRetryPipeline);
        _resolvedExecutable = new(() => ExecutableResolver.Resolve(Options.Executable));
        _places = ProcessBound.For(ProcessBound.EngineOf(Options), Options.MaxConcurrentCalls);
    }

    /// <summary>The options this client runs with.</summary>
    public DockerCliOptions Options { get; }

    /// <summary>The full path of the docker executable, or null when there is none.</summary>
    internal string? ResolvedExecutable => _resolvedExecutable.Value;

    /// <summary>
    /// Runs <paramref name="command"/>, retrying transient faults, and returns what it printed.
    /// </summary>
    /// <exception cref="DockerException">The command failed; the subtype says how.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the process was killed).</exception>
    public async Task<DockerResult> ExecuteAsync(DockerCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var span = DockerCallSpans.Start(command);
        try
        {
            var result = await ExecuteAttemptsAsync(command, cancellationToken).ConfigureAwait(false);
            DockerCallSpans.Returned(span, result);
            return result;
        }
        catch (Exception failure)
        {
            DockerCallSpans.Threw(span, failure);
            throw;
        }
    }

    // The call across its attempts: the first one directly, the retries (if any) through the pipeline.
    private async Task<DockerResult> ExecuteAttemptsAsync(DockerCommand command, CancellationToken cancellationToken)
    {
        var run = new CommandRun(command, command.Shape, Stopwatch.GetTimestamp());
        var firstAttemptAt = Options.TimeProvider.GetTimestamp();
        try
        {
            return await AttemptAsync(run, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerException failure)
        {
            run.Replay = ExceptionDispatchInfo.Capture(failure);
        }

        // The retry pipeline decides about the first failure as about any other: its first
        // "attempt" replays that failure, then each retry is a real attempt.
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(FirstAttemptAt, firstAttemptAt);
        context.Properties.Set(RunOfCommand, run);
        try
        {
            return await _retry.Value.ExecuteAsync(
                static (context, state) => state.Cli.ReplayOrAttemptAsync(state.Run, context.CancellationToken),
                context,
                (Cli: this, Run: run)).ConfigureAwait(false);
        }
        catch (DockerException failure) when (run.RequestLost)
        {
            failure.AfterLostRequest = true;
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<DockerResult> ReplayOrAttemptAsync(CommandRun run, CancellationToken cancellationToken)
    {
        if (run.Replay is { } failure)
        {
            run.Replay = null;
            failure.Throw();
        }

        return await AttemptAsync(run, cancellationToken).ConfigureAwait(false);
    }

    // One attempt: adopts what an earlier ambiguous attempt of a creating command made, else runs the command.
    private async ValueTask<DockerResult> AttemptAsync(CommandRun run, CancellationToken cancellationToken)
    {
        var attempt = ++run.Attempts;
        var mayExist = run.AmbiguousFailure is not null && run.Shape.Adopter is not null;
        DockerResult result;
        if (mayExist && await TryAdoptAsync(run, cancellationToken).ConfigureAwait(false) is { } adopted)
        {
            result = adopted;
        }
        else
        {
            try
            {
                result = await ExecuteOnceAsync(run, attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerConflictException) when (mayExist)
            {
                // The failed attempt's request reached the engine after all, later than our look-up.
                var late = await TryAdoptAsync(run, cancellationToken).ConfigureAwait(false);
                if (late is null)
                {
                    throw;
                }

                result = late;
            }
            catch (DockerException failure) when (run.AmbiguousFailure is null && (IsAmbiguous(failure) || MayHaveCreated(run.Shape, failure)))
            {
                run.AmbiguousFailure = failure;
                throw;
            }
        }

        return result with { Attempts = attempt, Duration = Stopwatch.GetElapsedTime(run.StartedAt), AfterLostRequest = run.RequestLost };
    }

    // Asks the command's adopter for what the ambiguous failed attempt made.
    private async Task<DockerResult?> TryAdoptAsync(CommandRun run, CancellationToken cancellationToken)
    {
        var adopted = await run.Shape.Adopter!.TryAdoptAsync(
            run.Command, run.AmbiguousFailure!, (command, token) => RunForAdopterAsync(run, command, token), cancellationToken).ConfigureAwait(false);
        if (adopted is null)
        {
            return null;
        }

        DockerMetrics.Adopted(run.Command.Arguments);
        return adopted with { Adopted = true };
    }

    // One look-up (or start) of an adopter, with the retries of its own shape: a hung read costs the
    // look-up its retries, not the create's. A read that fails past them ends the call (ShouldRetry).
    private async Task<DockerResult> RunForAdopterAsync(CommandRun run, DockerCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAttemptsAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerException failure) when (command.Shape.Intent == CommandIntent.ReadOnly && failure is not DockerNotFoundException)
        {
            run.LookUpFailure = failure;
            throw;
        }
    }

    /// <summary>
    /// Runs docker with <paramref name="arguments"/> and returns its standard output, trimmed.
    /// </summary>
    /// <param name="arguments">The arguments after the executable, each passed verbatim.</param>
    /// <param name="timeout">This call's limit; null takes <see cref="DockerCliOptions.DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call and kills the process.</param>
    /// <exception cref="DockerException">The command failed; the subtype says how.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is neither positive nor infinite.</exception>
    public Task<string> RunDockerAsync(IReadOnlyList<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunDockerAsync(new DockerCommand(arguments) { Timeout = timeout }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="command"/> (saying what it is: <see cref="DockerCommand.Read"/>,
    /// <see cref="DockerCommand.InContainer"/>, or one that changes state) and returns its standard
    /// output, trimmed; a non-zero exit throws as <see cref="ExecuteAsync"/> does.
    /// </summary>
    public async Task<string> RunDockerAsync(DockerCommand command, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim();
    }
}
