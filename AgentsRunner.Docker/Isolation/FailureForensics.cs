using System.Text;
using System.Text.Json.Nodes;
using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// What a failed or timed-out test leaves for a reader, read before anything of it is removed: for
/// each container, its logs (the last <see cref="LogLines"/> lines, standard output and error apart,
/// with timestamps), <c>inspect</c> JSON, <c>docker diff</c>, and the paths the spec asked to copy
/// out (as they are, into <c>NAME.files/</c>); the engine's events of the scope's resources. Files of
/// at most <see cref="FileCap"/> bytes (what is cut is said), environment values hidden, in
/// <c>forensics/TEST-SCOPE/</c> under the session's report folder. Best effort: what cannot be read
/// is written down as such.
/// </summary>
internal sealed class FailureForensics(TestScope scope, DockerCli docker)
{
    /// <summary>The most bytes one file holds.</summary>
    public const int FileCap = 1 << 20;

    /// <summary>How many of a container's last log lines are read.</summary>
    public const int LogLines = 10_000;

    private const string Hidden = "***";
    private readonly List<string> _secrets = [];

    /// <summary>Where the files go: <c>forensics/TEST-SCOPE/</c> under the session's report folder.</summary>
    public string Folder { get; } = Path.Combine(scope.Session.Options.ReportDirectory, "forensics", $"{ResourceNamer.Slug(scope.TestName, 60)}-{scope.Id}");

    /// <summary>Writes the files; returns their paths.</summary>
    public async Task<IReadOnlyList<string>> CollectAsync(
        IReadOnlyList<TrackedResource> containers, IReadOnlyList<string> events, CancellationToken cancellationToken)
    {
        var folder = Folder;
        Directory.CreateDirectory(folder);
        var reads = containers.Select(container => ReadAsync(container, cancellationToken)).ToList();
        var files = new List<string>();
        foreach (var (container, read) in containers.Zip(reads))
        {
            foreach (var (suffix, text) in await read.ConfigureAwait(false))
            {
                files.Add(Write(Path.Combine(folder, $"{container.Name}.{suffix}"), text));
            }
        }

        files.Add(Write(Path.Combine(folder, "events.txt"), string.Join('\n', events) + "\n"));
        foreach (var container in containers)
        {
            files.AddRange(await CopyOutAsync(container, folder, cancellationToken).ConfigureAwait(false));
        }

        return files;
    }

    // The container's files, by suffix; the inspect first, which gives the values to hide.
    private async Task<List<(string Suffix, string Text)>> ReadAsync(TrackedResource container, CancellationToken cancellationToken)
    {
        var files = new List<(string, string)>();
        var inspect = await TryReadAsync(["container", "inspect", container.Reference], cancellationToken).ConfigureAwait(false);
        files.Add(("inspect.json", inspect.Failed ? inspect.Text : HideEnvironment(inspect.Text)));
        if (scope.DescriptionOf(container.Name) is { } output)
        {
            // A task's container is auto-removed as it exits: what it printed was kept as it ran.
            files.Add(("output.log", output + "\n"));
        }

        if (inspect.Failed)
        {
            return files;
        }

        var logs = await TryReadAsync(["logs", "--timestamps", "--tail", $"{LogLines}", container.Reference], cancellationToken, bothStreams: true).ConfigureAwait(false);
        files.Add(("stdout.log", logs.Text));
        files.Add(("stderr.log", logs.Error));
        files.Add(("diff.txt", (await TryReadAsync(["diff", container.Reference], cancellationToken).ConfigureAwait(false)).Text));
        return files;
    }

    // The paths the container's spec asked for, copied out as they are (docker cp), into NAME.files/.
    private async Task<IReadOnlyList<string>> CopyOutAsync(TrackedResource container, string folder, CancellationToken cancellationToken)
    {
        var copied = new List<string>();
        foreach (var path in scope.ArtifactPathsOf(container.Name))
        {
            var target = Path.Combine(folder, $"{container.Name}.files");
            Directory.CreateDirectory(target);
            var copy = await TryReadAsync(["cp", $"{container.Reference}:{path}", target], cancellationToken).ConfigureAwait(false);
            if (copy.Failed)
            {
                copied.Add(Write(Path.Combine(target, $"{ResourceNamer.Slug(path, 60)}.not-copied.txt"), copy.Text));
            }
        }

        var files = Path.Combine(folder, $"{container.Name}.files");
        return Directory.Exists(files) ? [.. Directory.EnumerateFiles(files, "*", SearchOption.AllDirectories).Except(copied), .. copied] : copied;
    }

    private async Task<(string Text, string Error, bool Failed)> TryReadAsync(string[] arguments, CancellationToken cancellationToken, bool bothStreams = false)
    {
        try
        {
            var result = await docker.ExecuteAsync(DockerCommand.Read(arguments), cancellationToken).ConfigureAwait(false);
            return (result.StandardOutput, bothStreams ? result.StandardError : string.Empty, false);
        }
        catch (DockerException failure)
        {
            var text = $"(could not be read: {failure.Message})\n";
            return (text, text, true);
        }
    }

    // Every environment value goes, from the JSON and from every later file that repeats it.
    private string HideEnvironment(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is JsonArray { Count: > 0 } array && array[0]?["Config"]?["Env"] is JsonArray environment)
            {
                for (var i = 0; i < environment.Count; i++)
                {
                    var entry = environment[i]?.GetValue<string>() ?? string.Empty;
                    var equals = entry.IndexOf('=', StringComparison.Ordinal);
                    if (equals >= 0 && entry.Length - equals - 1 >= 4)
                    {
                        _secrets.Add(entry[(equals + 1)..]);
                    }

                    environment[i] = equals < 0 ? entry : entry[..(equals + 1)] + Hidden;
                }

                return array.ToJsonString() + "\n";
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON after all: written as it came, with the values hidden below where known.
        }

        return json;
    }

    private string Write(string path, string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Hidden, StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > FileCap)
        {
            var note = Encoding.UTF8.GetBytes($"(cut: the first {bytes.Length - FileCap} of {bytes.Length} bytes are not kept; files hold at most {FileCap} bytes)\n");
            bytes = [.. note, .. bytes.AsSpan(bytes.Length - FileCap + note.Length)];
        }

        File.WriteAllBytes(path, bytes);
        return path;
    }
}
