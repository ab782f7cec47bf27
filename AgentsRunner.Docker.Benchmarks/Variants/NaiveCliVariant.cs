using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Benchmarks.Variants;

/// <summary>
/// Variant 4, the naive CLI way of the original Python helpers: one docker process per step
/// (<c>create</c>, <c>start</c>, <c>inspect</c>, <c>rm -f</c>), then <c>docker inspect</c> once a
/// second, for up to 10 s, until the container is gone.
/// </summary>
internal sealed class NaiveCliVariant(string dockerExecutable, string image, string sessionId) : LifecycleVariant
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private const int MaxPolls = 10;

    public override string Key => "cli";


    protected override async Task<string> RunLifecycleAsync(int index, StepClock steps, CancellationToken cancellationToken)
    {
        var name = ResourceNamer.NameFor($"bench cli {index}");
        var id = (await RunDockerAsync(["create", "--name", name, "--label", $"{ProjectLabels.Session}={sessionId}", image, .. SleepCommand], cancellationToken)).Output;
        await RunDockerAsync(["start", id], cancellationToken);
        steps.Mark("start");
        var inspect = await RunDockerAsync(["inspect", id], cancellationToken);
        EnsureRunning(id, JsonNode.Parse(inspect.Output)?[0]?["State"]?["Status"]?.GetValue<string>());
        steps.Mark("state");
        await RunDockerAsync(["rm", "-f", id], cancellationToken);
        for (var poll = 1; await ExistsAsync(id, cancellationToken); poll++)
        {
            if (poll == MaxPolls)
            {
                throw new InvalidOperationException($"Container {Short(id)} was still there {MaxPolls} polls after 'docker rm -f'.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        steps.Mark("remove");
        return id;
    }

    private async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken)
    {
        var result = await RunDockerAsync(["inspect", id], cancellationToken, throwOnFailure: false);
        return result.ExitCode == 0 || !result.Error.Contains("No such object", StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunDockerAsync(string[] arguments, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(dockerExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dockerExecutable}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var result = (process.ExitCode, (await output).Trim(), (await error).Trim());
        if (throwOnFailure && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Item3}");
        }

        return result;
    }
}
