using System.Diagnostics;
using AgentsRunner.Docker.Connection;
using AgentsRunner.Docker.Engine;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker;

public sealed partial class DockerCli
{
    private readonly Lock _connectionLock = new();
    private EngineConnection? _connection;

    /// <summary>
    /// Closes the engine connection's processes now (they close by themselves once idle, or when this
    /// process ends). A later call opens it again.
    /// </summary>
    internal void CloseConnection()
    {
        EngineConnection? connection;
        lock (_connectionLock)
        {
            connection = _connection;
            _connection = null;
        }

        connection?.Dispose();
    }

    /// <summary>Starts opening the engine connection, if this client uses one, without waiting for it.</summary>
    internal async Task OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (await ConnectionAsync(cancellationToken).ConfigureAwait(false) is { } connection)
        {
            connection.Open();
        }
    }

    /// <summary>Opens the engine connection and waits until it answers or fails: whether it is open.</summary>
    internal async Task<bool> ConnectionOpenedAsync(CancellationToken cancellationToken) =>
        await ConnectionAsync(cancellationToken).ConfigureAwait(false) is { } connection && await connection.OpenedAsync().ConfigureAwait(false);

    /// <summary>
    /// Follows an Engine API stream (<c>GET</c> <paramref name="pathAndQuery"/>, without the API version)
    /// over the engine connection until the engine ends it: false at once when this client has no open
    /// connection to carry it, and the caller runs the docker process instead.
    /// </summary>
    internal async Task<bool> TryFollowOverConnectionAsync(string pathAndQuery, Action<string> onLine, CancellationToken cancellationToken) =>
        await ConnectionAsync(cancellationToken).ConfigureAwait(false) is { } connection
        && await connection.TryFollowAsync(pathAndQuery, onLine, cancellationToken).ConfigureAwait(false);

    // The connection, for a docker CLI (podman's has no dial-stdio to rely on) with the option on.
    private async ValueTask<EngineConnection?> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (!Options.UseEngineConnection || _resolvedExecutable.Value is not { } executable)
        {
            return null;
        }

        if (Volatile.Read(ref _connection) is { } open)
        {
            return open;
        }

        if ((await DialectAsync(cancellationToken).ConfigureAwait(false)).Engine != DockerEngine.Docker)
        {
            return null;
        }

        lock (_connectionLock)
        {
            var environment = Merge(Options.Environment, new Dictionary<string, string>());
            var pinned = Options.VariableOfProcesses(ApiVersionVariable);
            return _connection ??= new EngineConnection(executable, environment, pinned, Options.TimeProvider, message => Log.Connection(Options.Logger, message));
        }
    }

    // The command's requests over the connection, printed as the CLI prints them; null when the
    // connection could not carry them (the process runs instead). A request the dropped connection
    // may have delivered marks the run: what the process then finds may be that request's doing.
    private async Task<DockerResult?> RequestAsync(EngineConnection connection, CommandRun run, EngineCall call, int attempt, CancellationToken cancellationToken)
    {
        var command = run.Command;
        var timeout = command.Timeout ?? Options.DefaultTimeout;
        var started = Stopwatch.GetTimestamp();
        EngineAnswer[]? answers;
        try
        {
            answers = await connection.TrySendAsync(call, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogTimedOut(command.Arguments, timeout, attempt, overConnection: true);
            throw new DockerTimeoutException(command.Arguments, timeout, string.Empty);
        }
        catch (IOException)
        {
            run.RequestLost = true;
            return null;
        }

        if (answers is null)
        {
            return null;
        }

        var (exitCode, output, errors) = call.Render(answers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogInvocation(command.Arguments, exitCode, elapsed, attempt, overConnection: true);
        if (exitCode != 0)
        {
            throw DockerErrors.FromExit(command.Arguments, CommandInContainer.None, exitCode, output, errors);
        }

        return new DockerResult(command.Arguments, exitCode, output, errors, elapsed) { Attempts = attempt };
    }
}
