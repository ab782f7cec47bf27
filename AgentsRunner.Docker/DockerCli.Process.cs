using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Telemetry;
using CliWrap;

namespace AgentsRunner.Docker;

public sealed partial class DockerCli
{
    /// <summary>
    /// Runs a long-lived docker command (<c>events</c>, <c>logs -f</c>, an attached <c>run</c>) and hands
    /// each line of its output to the callbacks as it arrives. Unlike <see cref="ExecuteAsync"/>, a
    /// non-zero exit is returned, not thrown: for an attached container it is usually the container's
    /// own exit code. Started again only when it printed nothing but docker's own word that it could
    /// not connect to the engine (within <see cref="DockerCliOptions.EngineOutageWindow"/>), except an
    /// attached <c>run</c>, whose create may have landed before the failure; such an attempt's
    /// message reaches the log, never <paramref name="onErrorLine"/>.
    /// </summary>
    /// <param name="command">The command; its time limit defaults to none.</param>
    /// <param name="onOutputLine">Called for each standard output line, in order.</param>
    /// <param name="onErrorLine">Called for each standard error line, in order; null collects them into the result only.</param>
    /// <param name="cancellationToken">Stops the stream and kills the process.</param>
    /// <exception cref="DockerTimeoutException">The command's own time limit passed.</exception>
    /// <exception cref="DockerExecutableNotFoundException">There is no docker executable.</exception>
    public async Task<DockerResult> StreamAsync(
        DockerCommand command,
        Action<string> onOutputLine,
        Action<string>? onErrorLine = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(onOutputLine);
        var span = DockerCallSpans.Start(command, stream: true);
        try
        {
            var result = await StreamAttemptsAsync(command, onOutputLine, onErrorLine, cancellationToken).ConfigureAwait(false);
            DockerCallSpans.Returned(span, result);
            return result;
        }
        catch (Exception failure)
        {
            DockerCallSpans.Threw(span, failure);
            throw;
        }
    }

    private async Task<DockerResult> StreamAttemptsAsync(DockerCommand command, Action<string> onOutputLine, Action<string>? onErrorLine, CancellationToken cancellationToken)
    {
        var streamed = command.Timeout is null ? command with { Timeout = Timeout.InfiniteTimeSpan } : command;
        var started = Options.TimeProvider.GetTimestamp();
        var backoff = new Backoff(Options.RetryBaseDelay, LongestRetryDelay, Options.TimeProvider);
        for (var attempt = 1; ; attempt++)
        {
            var errors = new HeldErrorLines(onErrorLine);
            var output = PipeTarget.ToDelegate(line =>
            {
                errors.BeforeOutput();
                onOutputLine(line);
            });
            DockerResult result;
            try
            {
                result = await RunProcessAsync(streamed, attempt, output, errors.AddError, throwOnFailure: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception)
            {
                errors.End(final: true);
                throw;
            }

            var again = !errors.PassedAny && NeverConnected(streamed, result) && Options.MaxRetryAttempts > 0
                && Options.TimeProvider.GetElapsedTime(started) < Options.EngineOutageWindow;
            errors.End(final: !again);
            if (!again)
            {
                return result with { Attempts = attempt };
            }

            LogRetry(streamed.Arguments, attempt + 1, backoff.Next, result.StandardError.Trim());
            await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // A stream that printed nothing but docker's own word that it could not reach the engine ran
    // nothing; but an attached run may have created its container before it failed to connect
    // again, so it is never started again.
    private static bool NeverConnected(DockerCommand command, DockerResult result)
    {
        var inContainer = command.Shape.InContainer;
        return result.ExitCode != 0 && inContainer != CommandInContainer.AttachedRun
            && DockerFailureBoundary.DockersOwnFailure(inContainer, result.ExitCode, standardOutput: string.Empty, result.StandardError) is { IsAllOutput: true } message
            && DockerErrors.KindOf(message, result.ExitCode) == DockerErrorKind.DaemonUnavailable;
    }

    /// <summary>
    /// How many attempts of this client's calls found the engine unreachable so far: with the event
    /// stream's reconnections, what tells a test that the engine went away while it ran (a stream
    /// that the engine keeps open while it shuts down notices only once it is gone).
    /// </summary>
    internal long UnreachableAttempts => Interlocked.Read(ref _unreachableAttempts);

    // One attempt: over the engine connection when the command has requests and the connection carries them, else as a process.
    private async Task<DockerResult> ExecuteOnceAsync(CommandRun run, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            return run.Command.Api is { } call && await ConnectionAsync(cancellationToken).ConfigureAwait(false) is { } connection
                && await RequestAsync(connection, run, call, attempt, cancellationToken).ConfigureAwait(false) is { } answered
                ? answered
                : await RunProcessAsync(run.Command, attempt, output: null, onErrorLine: null, throwOnFailure: true, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerException failure) when (failure.Kind == DockerErrorKind.DaemonUnavailable)
        {
            Interlocked.Increment(ref _unreachableAttempts);
            throw;
        }
    }

    private async Task<DockerResult> RunProcessAsync(
        DockerCommand command,
        int attempt,
        PipeTarget? output,
        Action<string>? onErrorLine,
        bool throwOnFailure,
        CancellationToken cancellationToken)
    {
        var executable = _resolvedExecutable.Value
            ?? throw new DockerExecutableNotFoundException(Options.Executable, command.Arguments);
        var timeout = command.Timeout ?? Options.DefaultTimeout;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var cli = Process(executable, command, output ?? PipeTarget.ToStringBuilder(stdout), stderr, onErrorLine);

        // A place among the calls running at once against the engine, before the time limit starts.
        using var place = await _places.EnterAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        return await RunBoundedProcessAsync(command, attempt, executable, timeout, cli, stdout, stderr, throwOnFailure, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DockerResult> RunBoundedProcessAsync(DockerCommand command, int attempt, string executable, TimeSpan timeout, Command cli, StringBuilder stdout, StringBuilder stderr, bool throwOnFailure, CancellationToken cancellationToken)
    {
        using var deadline = timeout == Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource()
            : new CancellationTokenSource(timeout, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var started = Stopwatch.GetTimestamp();
        CommandResult result;
        try
        {
            result = await cli.ExecuteAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(command.Arguments, timeout, attempt);
            throw new DockerTimeoutException(command.Arguments, timeout, stderr.ToString());
        }
        catch (Win32Exception startFailure)
        {
            throw new DockerExecutableNotFoundException(executable, command.Arguments, startFailure);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        LogInvocation(command.Arguments, result.ExitCode, elapsed, attempt);
        if (throwOnFailure && result.ExitCode != 0)
        {
            var kind = command.Shape.InContainer;
            throw DockerErrors.FromExit(command.Arguments, kind, result.ExitCode, DockerFailureBoundary.OwnOutput(command.Shape, stdout.ToString()), stderr.ToString());
        }

        return new DockerResult(command.Arguments, result.ExitCode, stdout.ToString(), stderr.ToString(), elapsed) { Attempts = attempt };
    }

    // The CliWrap command for one attempt: arguments as a list, the merged environment, the pipes.
    private Command Process(string executable, DockerCommand command, PipeTarget output, StringBuilder stderr, Action<string>? onErrorLine)
    {
        var errorTarget = PipeTarget.ToStringBuilder(stderr);
        if (onErrorLine is not null)
        {
            errorTarget = PipeTarget.Merge(errorTarget, PipeTarget.ToDelegate(onErrorLine));
        }

        return Cli.Wrap(executable)
            .WithArguments(command.Arguments)
            .WithEnvironmentVariables(env => env.Set(Merge(WithApiVersion(Options.Environment), command.Environment)))
            .WithStandardInputPipe(command.StandardInput is { } input ? PipeSource.FromBytes(input)
                : command.StandardInputHeldUntil is { } release ? PipeSource.Create((_, stop) => release.WaitAsync(stop)) : PipeSource.Null)
            .WithStandardOutputPipe(output)
            .WithStandardErrorPipe(errorTarget)
            .WithValidation(CommandResultValidation.None);
    }

    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string> common, IReadOnlyDictionary<string, string> own)
    {
        var merged = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in common)
        {
            merged[name] = value;
        }

        foreach (var (name, value) in own)
        {
            merged[name] = value;
        }

        return merged;
    }
}
