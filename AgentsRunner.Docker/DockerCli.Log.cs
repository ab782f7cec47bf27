using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Telemetry;
using Microsoft.Extensions.Logging;

namespace AgentsRunner.Docker;

public sealed partial class DockerCli
{
    // Each docker process ends here, logged and counted (DockerMetrics); a retry is also an event on the call's span.
    private void LogInvocation(IReadOnlyList<string> arguments, int exitCode, TimeSpan elapsed, int attempt)
    {
        Log.Invocation(Options.Logger, Describe(arguments), exitCode, elapsed.TotalMilliseconds, attempt);
        DockerMetrics.DockerProcess(arguments, exitCode, elapsed);
    }

    private void LogTimedOut(IReadOnlyList<string> arguments, TimeSpan timeout, int attempt)
    {
        Log.TimedOut(Options.Logger, Describe(arguments), timeout.TotalSeconds, attempt);
        DockerMetrics.DockerProcess(arguments, exitCode: null, timeout);
    }

    private void LogRetry(IReadOnlyList<string> arguments, int nextAttempt, TimeSpan delay, string reason)
    {
        Log.Retrying(Options.Logger, Describe(arguments), nextAttempt, delay.TotalMilliseconds, reason);
        DockerCallSpans.Retrying(arguments, nextAttempt, reason);
    }

    private static string Describe(IReadOnlyList<string> arguments) => string.Join(' ', ArgumentRedactor.Redact(arguments));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "docker {Arguments} exited {ExitCode} in {ElapsedMs:0.0} ms (attempt {Attempt})")]
        public static partial void Invocation(ILogger logger, string arguments, int exitCode, double elapsedMs, int attempt);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "docker {Arguments} timed out after {TimeoutSeconds} s and was killed (attempt {Attempt})")]
        public static partial void TimedOut(ILogger logger, string arguments, double timeoutSeconds, int attempt);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "docker {Arguments}: retrying as attempt {Attempt} in {DelayMs:0} ms after: {Reason}")]
        public static partial void Retrying(ILogger logger, string arguments, int attempt, double delayMs, string reason);

        [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "the engine's API version could not be asked ({Reason}); each docker process negotiates its own")]
        public static partial void ApiVersionUnknown(ILogger logger, string reason);
    }
}
