namespace AgentsRunner.Docker.Execution;

/// <summary>Hides the values of environment variables passed with <c>-e</c> / <c>--env</c> before arguments are logged or shown.</summary>
internal static class ArgumentRedactor
{
    private const string Hidden = "***";

    public static IReadOnlyList<string> Redact(IReadOnlyList<string> arguments)
    {
        var redacted = new string[arguments.Count];
        var nextIsEnv = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (nextIsEnv)
            {
                redacted[i] = HideValue(argument);
                nextIsEnv = false;
            }
            else if (argument is "-e" or "--env")
            {
                redacted[i] = argument;
                nextIsEnv = true;
            }
            else if (argument.StartsWith("--env=", StringComparison.Ordinal))
            {
                redacted[i] = "--env=" + HideValue(argument["--env=".Length..]);
            }
            else if (argument.StartsWith("-e", StringComparison.Ordinal) && argument.Length > 2 && !argument.StartsWith("--", StringComparison.Ordinal))
            {
                redacted[i] = "-e" + HideValue(argument[2..]);
            }
            else
            {
                redacted[i] = argument;
            }
        }

        return redacted;
    }

    // `-e NAME` (no value) passes the caller's own variable through: the name alone is safe to show.
    private static string HideValue(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? assignment : assignment[..(equals + 1)] + Hidden;
    }
}
