using System.Collections.ObjectModel;

namespace AgentsRunner.Docker.Isolation;

/// <summary>The checks behind <see cref="ContainerSpec"/> and its parts: bad input fails when it is set, naming what was wrong.</summary>
internal static class SpecValidation
{
    /// <summary>Docker refuses less memory than this.</summary>
    public const long MinimumMemoryBytes = 6 * 1024 * 1024;

    private const string ProjectLabelPrefix = "agents-runner.";

    public static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero && value <= DockerCommand.MaxTimeout
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive (and at most 49.7 days); it was {value}.");

    public static string MountPath(string path, string name, string side, Func<string, bool> isAbsolute)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, name);
        if (!isAbsolute(path))
        {
            throw new ArgumentException($"The {side} path of a bind mount must be absolute; '{path}' is relative (use Path.GetFullPath).", name);
        }

        if (path.IndexOfAny([',', '"', '\n', '\r']) >= 0)
        {
            throw new ArgumentException($"The {side} path of a bind mount cannot hold a comma, a quote or a line break (docker's --mount syntax); it was '{path}'.", name);
        }

        return path;
    }

    public static string? AbsoluteContainerPath(string? path, string name) =>
        path is null || path.StartsWith('/')
            ? path
            : throw new ArgumentException($"{name} must be an absolute path in the container; '{path}' is not.", name);

    public static IReadOnlyDictionary<string, string> UserLabels(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels, nameof(ContainerSpec.Labels));
        foreach (var key in labels.Keys)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException($"A label key cannot be empty or hold '='; it was '{key}'.", nameof(ContainerSpec.Labels));
            }

            RejectProjectLabel(key, nameof(ContainerSpec.Labels));
        }

        return new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(labels, StringComparer.Ordinal));
    }

    public static IReadOnlyList<string> ExtraArguments(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments, nameof(ContainerSpec.ExtraArguments));
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i] ?? throw new ArgumentException($"Extra argument {i} is null.", nameof(ContainerSpec.ExtraArguments));
            if (argument is "--label-file" || argument.StartsWith("--label-file=", StringComparison.Ordinal)
                || argument is "--name" || argument.StartsWith("--name=", StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{argument}' cannot be an extra argument: set ContainerSpec.Labels or ContainerSpec.Name instead.", nameof(ContainerSpec.ExtraArguments));
            }

            var label = argument switch
            {
                "--label" or "-l" when i + 1 < arguments.Count => arguments[i + 1],
                _ when argument.StartsWith("--label=", StringComparison.Ordinal) => argument["--label=".Length..],
                _ => null,
            };
            if (label is not null)
            {
                RejectProjectLabel(label.Split('=', 2)[0], nameof(ContainerSpec.ExtraArguments));
            }
        }

        return [.. arguments];
    }

    public static IReadOnlyList<T> Copy<T>(IReadOnlyList<T> items, string name, Func<T, string?> problem)
    {
        ArgumentNullException.ThrowIfNull(items, name);
        foreach (var item in items)
        {
            if (problem(item) is { } reason)
            {
                throw new ArgumentException($"{name}: {reason}", name);
            }
        }

        return [.. items];
    }

    public static IReadOnlyDictionary<string, string> Copy(IReadOnlyDictionary<string, string> items, string name, Func<string, string, string?> problem)
    {
        ArgumentNullException.ThrowIfNull(items, name);
        foreach (var (key, value) in items)
        {
            if (problem(key, value) is { } reason)
            {
                throw new ArgumentException($"{name}: {reason}", name);
            }
        }

        return new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(items, StringComparer.Ordinal));
    }

    private static void RejectProjectLabel(string key, string name)
    {
        if (key.StartsWith(ProjectLabelPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The label '{key}' belongs to this library (every '{ProjectLabelPrefix}*' label marks what a session owns and cleans up); choose a key outside '{ProjectLabelPrefix}'.",
                name);
        }
    }
}
