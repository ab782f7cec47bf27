using System.Diagnostics;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
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
    private readonly ResiliencePipeline _retry;
    private readonly Lazy<string?> _resolvedExecutable;

    /// <summary>Makes a client; the options are validated here, once.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public DockerCli(DockerCliOptions? options = null)
    {
        Options = options ?? new DockerCliOptions();
        Options.Validate();
        _retry = BuildRetryPipeline();
        _resolvedExecutable = new(() => ExecutableResolver.Resolve(Options.Executable));
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
        var shape = command.EffectiveShape;
        var started = Stopwatch.GetTimestamp();
        var attempt = 0;

        // The first failure that may have been carried out by the engine. Sticky: a later attempt
        // that fails otherwise (say, the engine briefly unreachable) does not make it forgotten.
        DockerException? ambiguousFailure = null;

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(FirstAttemptAt, Options.TimeProvider.GetTimestamp());
        context.Properties.Set(ShapeOfCommand, shape);
        try
        {
            return await _retry.ExecuteAsync(
            async (context, _) =>
            {
                var token = context.CancellationToken;
                attempt++;
                var mayExist = ambiguousFailure is not null && shape.Intent == CommandIntent.Creates;
                DockerResult result;
                if (mayExist && await TryAdoptAsync(command, shape, ambiguousFailure!, token).ConfigureAwait(false) is { } adopted)
                {
                    result = adopted;
                }
                else
                {
                    try
                    {
                        result = await ExecuteOnceAsync(command, attempt, token).ConfigureAwait(false);
                    }
                    catch (DockerConflictException) when (mayExist)
                    {
                        // The failed attempt's request reached the engine after all, later than our look-up.
                        var late = await TryAdoptAsync(command, shape, ambiguousFailure!, token).ConfigureAwait(false);
                        if (late is null)
                        {
                            throw;
                        }

                        result = late;
                    }
                    catch (DockerException failure) when (ambiguousFailure is null && (IsAmbiguous(failure) || MayHaveCreated(shape, failure)))
                    {
                        ambiguousFailure = failure;
                        throw;
                    }
                }

                return result with { Attempts = attempt, Duration = Stopwatch.GetElapsedTime(started) };
            },
            context,
            state: 0).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
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

    /// <summary>Runs <paramref name="command"/> (one the library built, saying what it is) and returns its standard output, trimmed.</summary>
    internal async Task<string> RunDockerAsync(DockerCommand command, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim();
    }
}
