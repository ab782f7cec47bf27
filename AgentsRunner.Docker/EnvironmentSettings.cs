using System.Globalization;

namespace AgentsRunner.Docker;

/// <summary>How the options' <c>FromEnvironment</c> methods read a variable: the only place this library reads settings from the environment.</summary>
internal static class EnvironmentSettings
{
    /// <summary>The variable's value, or null when it is unset or blank.</summary>
    public static string? Text(string name) =>
        Environment.GetEnvironmentVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Whether the variable is on (<see cref="IsOn"/>); null when it is unset.</summary>
    public static bool? Flag(string name) => Text(name) is { } value ? IsOn(value) : null;

    /// <summary>The one rule for a yes-or-no variable: <c>1</c> or <c>true</c> (in any case) is on, anything else off.</summary>
    /// <param name="value">The variable's value; null (unset) is off.</param>
    public static bool IsOn(string? value) =>
        value?.Trim() is { } text && (text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The variable as a positive number of seconds, or null when it is unset.</summary>
    /// <exception cref="ArgumentException">It is set to something else.</exception>
    public static TimeSpan? Seconds(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{name} must be a positive number of seconds; it was '{text}'.");
    }

    /// <summary>The variable as a whole number from 1 to <paramref name="most"/>, or null when it is unset.</summary>
    /// <exception cref="ArgumentException">It is set to something else.</exception>
    public static int? Count(string name, int most)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 && count <= most
            ? count
            : throw new ArgumentException($"{name} must be a whole number from 1 to {most}; it was '{text}'.");
    }
}
