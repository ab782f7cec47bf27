using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tasks;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class ContainerSpecTests
{
    private static readonly string[] ProjectLabels = ["--label", "agents-runner.session=s1", "--label", "agents-runner.scope=c1"];

    [Fact]
    public void Build_EveryOption_BecomesItsDockerRunArgument_WithTheProjectsLabelsLast()
    {
        // Arrange
        var spec = ContainerSpec.Of("sh", "-c", "echo hi") with
        {
            Network = "net1",
            NetworkAliases = ["api"],
            Volumes = new Dictionary<string, string> { ["vol1"] = "/data" },
            BindMounts = [new BindMount("/host/config", "/config", readOnly: true)],
            PublishedPorts = [8080],
            Environment = new Dictionary<string, string> { ["A"] = "b" },
            WorkingDirectory = "/work",
            User = "1000:1000",
            MemoryLimitBytes = 64 * 1024 * 1024,
            CpuLimit = 0.5,
            Labels = new Dictionary<string, string> { ["team"] = "qa" },
            HealthCheck = new HealthCheck("true"),
            ExtraArguments = ["--init"],
        };

        // Act
        var arguments = DockerRunArguments.Build(ContainerLaunch.RunDetached, spec with { AutoRemove = true }, "n1", ProjectLabels, "img:1");

        // Assert
        arguments.ShouldBe(
        [
            "run", "--detach", "--name", "n1", "--pull", "never", "--rm", "--network", "net1", "--network-alias", "api", "--volume", "vol1:/data",
            "--mount", "type=bind,source=/host/config,target=/config,readonly", "--publish", "127.0.0.1::8080", "--env", "A=b",
            "--workdir", "/work", "--user", "1000:1000", "--memory", "67108864", "--cpus", "0.5",
            "--health-cmd", "true", "--health-interval", "500ms", "--health-timeout", "5000ms", "--health-start-period", "60000ms", "--health-retries", "3",
            "--label", "team=qa", "--init", .. ProjectLabels, "img:1", "sh", "-c", "echo hi",
        ]);
    }

    [Fact]
    public void Build_TaskLaunch_CreatesAnAutoRemovedContainerWithoutStartingIt()
    {
        // Act
        var arguments = DockerRunArguments.Build(ContainerLaunch.CreateAutoRemoved, ContainerSpec.Of("true"), "t1", ProjectLabels, "img:1");

        // Assert
        arguments.ShouldBe(["create", "--name", "t1", "--pull", "never", "--rm", .. ProjectLabels, "img:1", "true"]);
    }

    [Fact]
    public void Build_AnImageOtherThanTheSessions_IsNeverPulledByDefault()
    {
        // Act
        var arguments = DockerRunArguments.Build(ContainerLaunch.RunDetached, ContainerSpec.Of("true") with { Image = "other:2" }, "n1", ProjectLabels, "img:1");

        // Assert
        arguments.ShouldBe(["run", "--detach", "--name", "n1", "--pull", "never", .. ProjectLabels, "other:2", "true"]);
    }

    [Fact]
    public void Build_AnImageOtherThanTheSessions_IsPulledWhenMissingIfTheSessionSaysSo()
    {
        // Act
        var other = DockerRunArguments.Build(ContainerLaunch.RunDetached, ContainerSpec.Of("true") with { Image = "other:2" }, "n1", ProjectLabels, "img:1", pullMissing: true);
        var own = DockerRunArguments.Build(ContainerLaunch.RunDetached, ContainerSpec.Of("true"), "n1", ProjectLabels, "img:1", pullMissing: true);

        // Assert
        other.ShouldBe(["run", "--detach", "--name", "n1", "--pull", "missing", .. ProjectLabels, "other:2", "true"]);
        own.ShouldBe(["run", "--detach", "--name", "n1", "--pull", "never", .. ProjectLabels, "img:1", "true"]);
    }

    [Fact]
    public void Build_TheSessionsImageNamedInTheSpec_IsNeverPulled()
    {
        // Act
        var arguments = DockerRunArguments.Build(ContainerLaunch.RunDetached, ContainerSpec.Of("true") with { Image = "img:1" }, "n1", ProjectLabels, "img:1");

        // Assert
        arguments.ShouldBe(["run", "--detach", "--name", "n1", "--pull", "never", .. ProjectLabels, "img:1", "true"]);
    }

    [Fact]
    public void Build_AliasesWithoutANetwork_AreRefused()
    {
        // Act & Assert
        Should.Throw<ArgumentException>(() => DockerRunArguments.Build(ContainerLaunch.CreateAutoRemoved, ContainerSpec.Of() with { NetworkAliases = ["api"] }, "n", [], "img"))
            .Message.ShouldContain("need a Network");
    }

    [Theory]
    [InlineData("agents-runner.session")]
    [InlineData("Agents-Runner.scope")]
    public void Labels_UnderTheProjectsPrefix_AreRefused(string key)
    {
        // Act & Assert
        Should.Throw<ArgumentException>(() => ContainerSpec.Of() with { Labels = new Dictionary<string, string> { [key] = "x" } })
            .Message.ShouldContain($"'{key}' belongs to this library");
    }

    [Theory]
    [InlineData("--label", "agents-runner.session=other")]
    [InlineData("-l", "agents-runner.expires=never")]
    [InlineData("--label=agents-runner.test=x", "")]
    [InlineData("--label-file", "labels.txt")]
    [InlineData("--name", "mine")]
    public void ExtraArguments_ThatWouldOverrideTheProjectsLabelsOrName_AreRefused(string flag, string value)
    {
        // Act & Assert
        Should.Throw<ArgumentException>(() => ContainerSpec.Of() with { ExtraArguments = [flag, value] })
            .ParamName.ShouldBe(nameof(ContainerSpec.ExtraArguments));
    }

    [Theory]
    [InlineData("relative/dir", "/data", "hostPath")]
    [InlineData("/host", "data", "containerPath")]
    [InlineData("/a,b", "/data", "hostPath")]
    public void BindMount_WithARelativeOrUnsafePath_IsRefusedNamingTheParameter(string host, string container, string parameter)
    {
        // Act & Assert
        Should.Throw<ArgumentException>(() => new BindMount(host, container)).ParamName.ShouldBe(parameter);
    }

    [Fact]
    public void Limits_ThatAreNotPositive_AreRefusedNamingTheLimit()
    {
        // Act & Assert
        Should.Throw<ArgumentOutOfRangeException>(() => ContainerSpec.Of() with { MemoryLimitBytes = 0 }).ParamName.ShouldBe(nameof(ContainerSpec.MemoryLimitBytes));
        Should.Throw<ArgumentOutOfRangeException>(() => ContainerSpec.Of() with { MemoryLimitBytes = 1024 }).Message.ShouldContain("6 MiB");
        Should.Throw<ArgumentOutOfRangeException>(() => ContainerSpec.Of() with { CpuLimit = -1 }).ParamName.ShouldBe(nameof(ContainerSpec.CpuLimit));
        Should.Throw<ArgumentOutOfRangeException>(() => ContainerSpec.Of() with { CpuLimit = double.NaN }).ParamName.ShouldBe(nameof(ContainerSpec.CpuLimit));
        Should.Throw<ArgumentOutOfRangeException>(() => new TaskSpec(["true"]) { Timeout = TimeSpan.Zero }).ParamName.ShouldBe(nameof(TaskSpec.Timeout));
        Should.Throw<ArgumentOutOfRangeException>(() => new HealthCheck("true") { Retries = 0 }).ParamName.ShouldBe(nameof(HealthCheck.Retries));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void PublishedPorts_OutsideTheRange_AreRefused(int port)
    {
        // Act & Assert
        Should.Throw<ArgumentException>(() => ContainerSpec.Of() with { PublishedPorts = [port] }).Message.ShouldContain($"{port} is not a port");
    }

    [Theory]
    [InlineData("/host/dir", "/data", "not a volume name")]
    [InlineData("vol1", "data", "is not absolute")]
    public void Volumes_WithAHostPathOrARelativeTarget_AreRefused(string volume, string path, string reason)
    {
        // Act & Assert
        Should.Throw<ArgumentException>(() => ContainerSpec.Of() with { Volumes = new Dictionary<string, string> { [volume] = path } }).Message.ShouldContain(reason);
    }

    [Fact]
    public void WorkingDirectory_ThatIsRelative_IsRefused()
    {
        // Act & Assert
        Should.Throw<ArgumentException>(() => ContainerSpec.Of() with { WorkingDirectory = "work" }).ParamName.ShouldBe(nameof(ContainerSpec.WorkingDirectory));
    }

    [Fact]
    public void Collections_AreCopied_SoALaterChangeToTheCallersDictionaryDoesNotReachTheSpec()
    {
        // Arrange
        var labels = new Dictionary<string, string> { ["team"] = "qa" };
        var spec = ContainerSpec.Of() with { Labels = labels };

        // Act
        labels["agents-runner.session"] = "sneaked-in";

        // Assert
        spec.Labels.Keys.ShouldBe(["team"]);
    }
}
