using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

/// <summary>Copying, mounts, aliases, and the options of <see cref="ContainerSpec"/>, each seen from inside the container.</summary>
public sealed class ContainerOptionsTests(DockerSessionFixture fixture) : DockerTest(fixture), IDisposable
{
    private readonly DirectoryInfo _host = Directory.CreateTempSubdirectory("agents-runner-e2e-");

    [Fact]
    public async Task Files_are_copied_into_and_out_of_a_container()
    {
        var container = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300"), Cancellation);
        var source = Path.Combine(_host.FullName, "in.txt");
        await File.WriteAllTextAsync(source, "from the host\n", Cancellation);

        await container.CopyToAsync(source, "/tmp/in.txt", cancellationToken: Cancellation);
        await container.ExecShellAsync("tr a-z A-Z < /tmp/in.txt > /tmp/out.txt", cancellationToken: Cancellation);
        await container.CopyFromAsync("/tmp/out.txt", Path.Combine(_host.FullName, "out.txt"), cancellationToken: Cancellation);

        (await File.ReadAllTextAsync(Path.Combine(_host.FullName, "out.txt"), Cancellation)).ShouldBe("FROM THE HOST\n");
    }

    [Fact]
    public async Task A_read_only_bind_mount_is_readable_but_not_writable_and_a_read_write_one_is_both()
    {
        var readOnly = Directory.CreateDirectory(Path.Combine(_host.FullName, "ro"));
        var readWrite = Directory.CreateDirectory(Path.Combine(_host.FullName, "rw"));
        await File.WriteAllTextAsync(Path.Combine(readOnly.FullName, "config"), "setting=1\n", Cancellation);
        var container = await Scope.RunContainerAsync(
            ContainerSpec.Of("sleep", "300") with
            {
                BindMounts = [new BindMount(readOnly.FullName, "/config", readOnly: true), new BindMount(readWrite.FullName, "/out")],
            },
            Cancellation);

        var read = await container.ExecShellAsync("cat /config/config", cancellationToken: Cancellation);
        var write = await container.ExecShellAsync("touch /config/new", cancellationToken: Cancellation);
        var written = await container.ExecShellAsync("echo result > /out/result", cancellationToken: Cancellation);

        read.StandardOutput.ShouldBe("setting=1\n");
        write.ExitCode.ShouldNotBe(0);
        write.StandardError.ShouldContain("Read-only file system");
        written.ExitCode.ShouldBe(0);
        (await File.ReadAllTextAsync(Path.Combine(readWrite.FullName, "result"), Cancellation)).ShouldBe("result\n");
    }

    [Fact]
    public async Task Two_containers_on_a_scope_network_reach_each_other_by_alias()
    {
        var network = await Scope.CreateNetworkAsync(Cancellation);
        var api = await Scope.RunContainerAsync(
            ContainerSpec.Of("sh", "-c", "mkdir -p /www && echo pong > /www/ping && exec httpd -f -p 8080 -h /www") with
            {
                Network = network,
                NetworkAliases = ["api", "api.internal"],
            },
            Cancellation);
        var client = await Scope.RunContainerAsync(ContainerSpec.Of("sleep", "300") with { Network = network }, Cancellation);

        await api.WaitForPortAsync(8080, TimeSpan.FromSeconds(30), Cancellation);
        var byAlias = await client.ExecShellAsync("wget -q -O - http://api:8080/ping", cancellationToken: Cancellation);
        var bySecondAlias = await client.ExecShellAsync("wget -q -O - http://api.internal:8080/ping", cancellationToken: Cancellation);

        byAlias.StandardOutput.ShouldBe("pong\n");
        bySecondAlias.StandardOutput.ShouldBe("pong\n");
    }

    [Fact]
    public async Task Working_directory_user_limits_labels_and_extra_arguments_reach_the_container()
    {
        var container = await Scope.RunContainerAsync(
            ContainerSpec.Of("sleep", "300") with
            {
                WorkingDirectory = "/tmp",
                User = "1234:2345",
                MemoryLimitBytes = 64 * 1024 * 1024,
                CpuLimit = 0.5,
                Labels = new Dictionary<string, string> { ["team"] = "qa" },
                ExtraArguments = ["--hostname", "custom-host"],
            },
            Cancellation);

        var inside = await container.ExecShellAsync("pwd; id -u; id -g; hostname", cancellationToken: Cancellation);
        var config = await Docker.RunDockerAsync(
            DockerCommand.Read("container", "inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{index .Config.Labels \"team\"}} {{index .Config.Labels \"agents-runner.scope\"}}", container.Id),
            Cancellation);

        inside.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["/tmp", "1234", "2345", "custom-host"]);
        config.ShouldBe($"67108864 500000000 qa {Scope.Id}");
    }

    [Fact]
    public async Task Aliases_without_a_network_are_refused_before_anything_is_created()
    {
        var failure = await Should.ThrowAsync<ArgumentException>(
            () => Scope.RunContainerAsync(ContainerSpec.Of("true") with { NetworkAliases = ["api"] }, Cancellation));

        failure.Message.ShouldContain("need a Network");
        Scope.Resources.ShouldBeEmpty();
    }

    public void Dispose() => _host.Delete(recursive: true);
}
