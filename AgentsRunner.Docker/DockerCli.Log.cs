using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Telemetry;
using Microsoft.Extensions.Logging;

namespace AgentsRunner.Docker;

public sealed partial class DockerCli
{
    // Each docker call's attempt ends here (a process, or requests over the engine connection),
    // logged and counted (DockerMetrics); a retry is also an event on the call's span.
    private void LogInvocation(IReadOnlyList<string> arguments, int exitCode, TimeSpan elapsed, int attempt, bool overConnection = false)
    {
        Log.Invocation(Options.Logger, Describe(arguments), exitCode, elapsed.TotalMilliseconds, overConnection ? ConnectionPath : ProcessPath, attempt);
        DockerMetrics.DockerCall(arguments, exitCode, elapsed, overConnection);
    }

    private void LogTimedOut(IReadOnlyList<string> arguments, TimeSpan timeout, int attempt, bool overConnection = false)
    {
        Log.TimedOut(Options.Logger, Describe(arguments), timeout.TotalSeconds, overConnection ? ConnectionPath : ProcessPath, attempt);
        DockerMetrics.DockerCall(arguments, exitCode: null, timeout, overConnection);
    }

    private void LogRetry(IReadOnlyList<string> arguments, int nextAttempt, TimeSpan delay, string reason)
    {
        Log.Retrying(Options.Logger, Describe(arguments), nextAttempt, delay.TotalMilliseconds, reason);
        DockerCallSpans.Retrying(arguments, nextAttempt, reason);
    }

    // How a log line tells a call over the engine connection from a docker process (which it does not mark).
    private const string ProcessPath = "";
    private const string ConnectionPath = " over the engine connection";

    private static string Describe(IReadOnlyList<string> arguments) => string.Join(' ', ArgumentRedactor.Redact(arguments));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "docker {Arguments} exited {ExitCode} in {ElapsedMs:0.0} ms{Path} (attempt {Attempt})")]
        public static partial void Invocation(ILogger logger, string arguments, int exitCode, double elapsedMs, string path, int attempt);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "docker {Arguments} timed out after {TimeoutSeconds} s and was killed{Path} (attempt {Attempt})")]
        public static partial void TimedOut(ILogger logger, string arguments, double timeoutSeconds, string path, int attempt);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "docker {Arguments}: retrying as attempt {Attempt} in {DelayMs:0} ms after: {Reason}")]
        public static partial void Retrying(ILogger logger, string arguments, int attempt, double delayMs, string reason);

        [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "the engine's API version could not be asked ({Reason}); each docker process negotiates its own")]
        public static partial void ApiVersionUnknown(ILogger logger, string reason);

        [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Message}")]
        public static partial void Connection(ILogger logger, string message);
    }
}
