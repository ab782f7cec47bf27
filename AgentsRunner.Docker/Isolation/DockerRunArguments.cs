using System.Globalization;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// The one builder of <c>docker run</c> / <c>docker create</c> arguments from a <see cref="ContainerSpec"/>,
/// used by <see cref="TestScope"/> for its containers and its tasks' alike, so that both take the
/// same options the same way. The scope's labels come last and cannot be overridden.
/// </summary>
internal static class DockerRunArguments
{
    /// <summary>The full argument list: the sub-command <paramref name="launch"/> calls for, the options, the image and the command.</summary>
    /// <param name="launch">How the container is launched.</param>
    /// <param name="spec">What to run.</param>
    /// <param name="name">The container's name.</param>
    /// <param name="projectLabelArguments">The scope's <c>--label</c> arguments, which come last.</param>
    /// <param name="defaultImage">The image when the spec names none (the session's test image).</param>
    /// <param name="pullMissing">Whether an image other than the session's is pulled when the engine lacks it.</param>
    /// <exception cref="ArgumentException">The spec's options contradict each other.</exception>
    public static List<string> Build(
        ContainerLaunch launch, ContainerSpec spec, string name, IReadOnlyList<string> projectLabelArguments, string defaultImage, bool pullMissing = false)
    {
        if (spec.NetworkAliases.Count > 0 && spec.Network is null)
        {
            throw new ArgumentException(
                $"NetworkAliases ({string.Join(", ", spec.NetworkAliases)}) need a Network: aliases are names on a user-defined network (TestScope.CreateNetworkAsync).",
                nameof(spec));
        }

        List<string> arguments = launch == ContainerLaunch.RunDetached ? ["run", "--detach"] : ["create"];
        arguments.AddRange(["--name", name]);
        // The session's image is never pulled: while the session checks it, a missing one must fail
        // the create at once ("No such image"), and the session builds it. Other images are pulled
        // only when the session says so: a test run reaches no registry unless asked to.
        var sessionImage = spec.Image is null || spec.Image == defaultImage;
        arguments.AddRange(["--pull", pullMissing && !sessionImage ? "missing" : "never"]);

        if (launch == ContainerLaunch.CreateAutoRemoved || spec.AutoRemove)
        {
            arguments.Add("--rm");
        }

        if (spec.Network is not null)
        {
            arguments.AddRange(["--network", spec.Network]);
            arguments.AddRange(spec.NetworkAliases.SelectMany(alias => new[] { "--network-alias", alias }));
        }

        arguments.AddRange(spec.Volumes.SelectMany(v => new[] { "--volume", $"{v.Key}:{v.Value}" }));
        arguments.AddRange(spec.BindMounts.SelectMany(m => new[] { "--mount", m.MountArgument }));
        arguments.AddRange(spec.PublishedPorts.SelectMany(p => new[] { "--publish", $"127.0.0.1::{p.ToString(CultureInfo.InvariantCulture)}" }));
        arguments.AddRange(spec.Environment.SelectMany(e => new[] { "--env", $"{e.Key}={e.Value}" }));
        AddIfSet(arguments, "--workdir", spec.WorkingDirectory);
        AddIfSet(arguments, "--user", spec.User);
        AddIfSet(arguments, "--memory", spec.MemoryLimitBytes?.ToString(CultureInfo.InvariantCulture));
        AddIfSet(arguments, "--cpus", spec.CpuArgument);
        if (spec.HealthCheck is { } health)
        {
            arguments.AddRange(health.Arguments);
        }

        arguments.AddRange(spec.Labels.SelectMany(label => new[] { "--label", $"{label.Key}={label.Value}" }));
        arguments.AddRange(spec.ExtraArguments);
        arguments.AddRange(projectLabelArguments);
        arguments.Add(spec.Image ?? defaultImage);
        arguments.AddRange(spec.Command);
        return arguments;
    }

    private static void AddIfSet(List<string> arguments, string flag, string? value)
    {
        if (value is not null)
        {
            arguments.AddRange([flag, value]);
        }
    }
}
