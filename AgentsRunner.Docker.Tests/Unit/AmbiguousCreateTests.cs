using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;
using Microsoft.Extensions.Time.Testing;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// A creating command that timed out may or may not have created its object: the retry first looks
/// for it, adopts it when it carries the command's labels, and creates it only when it is absent.
/// </summary>
public sealed class AmbiguousCreateTests
{
    private const string Id = "2c33248f070290d6bcd25598c0405551d50de5180ee5c669e1b0b768940a09be";
    private const string LabelsFormat = "{{.Id}} {{json .Config.Labels}}";

    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(500);

    // The CLI's words when its connection drops after the create request was written.
    private const string DroppedCreate = "docker: error during connect: Post \"http://%2Fvar%2Frun%2Fdocker.sock/v1.41/containers/create\": EOF";

    private static readonly DockerCommand Create = DetachedRun(new Dictionary<string, string> { ["k"] = "v" }) with { Timeout = Limit };

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task ExecuteAsync_CreateTimedOutButMadeTheObject_AdoptsIt_WithoutRunningAgain()
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Hangs("run", times: 1).Prints("should not run twice\n", "run")
            .Prints($"{Id} {{\"k\":\"v\",\"other\":\"x\"}}\n", "container inspect");

        // Act
        var running = await TimeOutFirstAttemptAsync(fake, Create);
        var result = await running;

        // Assert
        result.Adopted.ShouldBeTrue();
        result.StandardOutput.ShouldBe(Id + "\n");
        result.Attempts.ShouldBe(2);
        result.Arguments.ShouldBe(Create.Arguments);
        fake.Calls.Count(call => call[0] == "run").ShouldBe(1);
        fake.Calls[1].ShouldBe(["container", "inspect", "--format", LabelsFormat, "X"]);
    }

    [Fact]
    public async Task ExecuteAsync_DeclaredCreateTimedOut_AdoptsByTheDeclaredNameAndLabels_NotByItsArguments()
    {
        // Arrange: the arguments carry no label; the code that built the command declares the one it set.
        using var fake = FakeDocker.Create()
            .Hangs("run", times: 1).Prints("should not run twice\n", "run")
            .Prints($"{Id} {{\"k\":\"v\"}}\n", "container inspect");
        var create = DockerCommand.Of("run", "-d", "--name", "X", "img") with
        {
            Timeout = Limit,
            Shape = ResourceKind.Container.Creates("X", new Dictionary<string, string> { ["k"] = "v" }, startsContainer: true),
        };

        // Act
        var running = await TimeOutFirstAttemptAsync(fake, create);
        var result = await running;

        // Assert
        result.Adopted.ShouldBeTrue();
        fake.Calls.Count(call => call[0] == "run").ShouldBe(1);
        fake.Calls[1].ShouldBe(["container", "inspect", "--format", LabelsFormat, "X"]);
    }

    [Fact]
    public async Task ExecuteAsync_CreateTimedOutAndTheNameHoldsOtherLabels_ThrowsAmbiguousCreate()
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Hangs("run", times: 1).Prints("should not run twice\n", "run")
            .Prints($"{Id} {{\"k\":\"someone else\"}}\n", "container inspect");

        // Act
        var running = await TimeOutFirstAttemptAsync(fake, Create);
        var failure = await Should.ThrowAsync<DockerAmbiguousCreateException>(() => running);

        // Assert
        failure.Name.ShouldBe("X");
        failure.InnerException.ShouldBeOfType<DockerTimeoutException>();
        failure.Message.ShouldEndWith(failure.Hint);
        fake.Calls.Count(call => call[0] == "run").ShouldBe(1);
    }

    [Fact]
    public async Task ExecuteAsync_CreateWithoutLabelTimedOutAndTheNameExists_ThrowsAmbiguousCreate()
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Hangs("run", times: 1).Prints("should not run twice\n", "run")
            .Prints($"{Id} {{}}\n", "container inspect");

        // Act
        var running = await TimeOutFirstAttemptAsync(fake, DetachedRun(new Dictionary<string, string>()) with { Timeout = Limit });
        var failure = await Should.ThrowAsync<DockerAmbiguousCreateException>(() => running);

        // Assert
        failure.Message.ShouldContain("set no label");
        fake.Calls.Count(call => call[0] == "run").ShouldBe(1);
    }

    [Theory]
    [InlineData("Error: No such object: X")]
    [InlineData("Error response from daemon: No such container: X")]
    public async Task ExecuteAsync_CreateTimedOutAndNothingWasMade_CreatesAgain(string notFound)
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Hangs("run", times: 1).Prints(Id + "\n", "run")
            .Fails(1, notFound, "container inspect");

        // Act
        var running = await TimeOutFirstAttemptAsync(fake, Create);
        var result = await running;

        // Assert
        result.Adopted.ShouldBeFalse();
        result.StandardOutput.ShouldBe(Id + "\n");
        result.Attempts.ShouldBe(2);
        fake.Calls.Select(call => call[0]).ShouldBe(["run", "container", "run"]);
    }

    [Fact]
    public async Task ExecuteAsync_TheTimedOutCreateLandsAfterTheLookUp_AdoptsItOnTheConflict()
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Hangs("run", times: 1)
            .Fails(125, "docker: Error response from daemon: Conflict. The container name \"/X\" is already in use by container \"2c33\".", "run")
            .Fails(1, "Error: No such object: X", "container inspect", times: 1)
            .Prints($"{Id} {{\"k\":\"v\"}}\n", "container inspect");

        // Act
        var running = await TimeOutFirstAttemptAsync(fake, Create);
        var result = await running;

        // Assert
        result.Adopted.ShouldBeTrue();
        result.StandardOutput.ShouldBe(Id + "\n");
        // The look-up, the run that met the conflict, the look-up again, and the adopted container's state.
        fake.Calls.Select(call => call[0]).ShouldBe(["run", "container", "run", "container", "container"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData(Id + "\n")]
    public async Task ExecuteAsync_DetachedRunLostTheEngineBeforeItsStart_AdoptsAndStartsTheCreatedContainer(string printedBeforeTheStart)
    {
        // Arrange: the create landed, then the engine went away before the start request. The CLI
        // prints the new container's id while it sends the start (docker/cli run.go), so the failure
        // may come after that line.
        using var fake = FakeDocker.Create()
            .Exits(125, printedBeforeTheStart, "docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n\nRun 'docker run --help' for more information\n", "run", times: 1)
            .Prints($"{Id} {{\"k\":\"v\"}}\n", "container inspect", times: 1)
            .Prints("created\n", "container inspect", times: 1)
            .Prints(Id + "\n", "start");
        var cli = new DockerCli(fake.Options);

        // Act
        var result = await cli.ExecuteAsync(DetachedRun(new Dictionary<string, string> { ["k"] = "v" }), TestContext.Current.CancellationToken);

        // Assert
        result.Adopted.ShouldBeTrue();
        result.StandardOutput.ShouldBe(Id + "\n");
        fake.Calls.Select(call => call[0]).ShouldBe(["run", "container", "container", "start"]);
        fake.Calls[3].ShouldBe(["start", Id]);
    }

    [Theory]
    [InlineData("network|create|--label|k=v|net1", "network inspect", "network|inspect|--format|{{.Id}} {{json .Labels}}|net1")]
    [InlineData("volume|create|--label|k=v|vol1", "volume inspect", "volume|inspect|--format|{{.Name}} {{json .Labels}}|vol1")]
    public async Task ExecuteAsync_NetworkOrVolumeCreateTimedOut_LooksItUpByKindAndAdoptsIt(string create, string inspect, string expectedLookUp)
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Hangs(string.Join(' ', create.Split('|')[..2]), times: 1)
            .Prints("net-or-vol-id {\"k\":\"v\"}\n", inspect);

        // Act
        var running = await TimeOutFirstAttemptAsync(fake, new DockerCommand(create.Split('|'))
        {
            Timeout = Limit,
            Shape = Enum.Parse<ResourceKind>(create.Split('|')[0], ignoreCase: true).Creates(create.Split('|')[^1], new Dictionary<string, string> { ["k"] = "v" }),
        });
        var result = await running;

        // Assert
        result.Adopted.ShouldBeTrue();
        result.StandardOutput.ShouldBe("net-or-vol-id\n");
        fake.Calls[1].ShouldBe(expectedLookUp.Split('|'));
    }

    [Fact]
    public async Task ExecuteAsync_CreateWithoutNameTimedOut_IsNotRetried()
    {
        // Arrange
        using var fake = FakeDocker.Create().Hangs("run", times: 1).Prints(Id + "\n", "run");

        // Act
        var running = await TimeOutFirstAttemptAsync(fake, DockerCommand.Of("run", "-d", "--label", "k=v", "img") with { Timeout = Limit });
        await Should.ThrowAsync<DockerTimeoutException>(() => running);

        // Assert
        fake.Invocations.ShouldBe(1, fake.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_AmbiguousCreateThenAnUnreachableEngineThenAConflict_StillAdoptsTheObject()
    {
        // Arrange: the first run times out, the look-up finds nothing yet, the second run cannot reach the
        // engine, and by the third attempt the first run's container has appeared.
        using var fake = FakeDocker.Create()
            .Hangs("run", times: 1)
            .Fails(1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", "run", times: 1)
            .Fails(1, "Error response from daemon: Conflict. The container name \"/X\" is already in use by container \"" + Id + "\".", "run")
            .Fails(1, "Error response from daemon: No such container: X", "container inspect", times: 1)
            .Prints($"{Id} {{\"k\":\"v\"}}\n", "container inspect");

        // Act
        var running = await TimeOutFirstAttemptAsync(fake, Create);
        var result = await running;

        // Assert
        result.Adopted.ShouldBeTrue();
        result.StandardOutput.ShouldBe(Id + "\n");
        fake.Calls.Count(call => call[0] == "run").ShouldBe(2);
    }

    [Fact]
    public async Task ExecuteAsync_LookUpAfterAnAmbiguousCreatePrintsNoLabels_ThrowsAmbiguousCreate()
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Hangs("run", times: 1).Prints("should not run twice\n", "run")
            .Prints($"{Id} not-json\n", "container inspect");

        // Act
        var running = await TimeOutFirstAttemptAsync(fake, Create);
        var failure = await Should.ThrowAsync<DockerAmbiguousCreateException>(() => running);

        // Assert
        failure.Message.ShouldContain("labels could not be read");
        fake.Calls.Count(call => call[0] == "run").ShouldBe(1);
    }

    [Fact]
    public async Task ExecuteAsync_DroppedCreateThenHungLookUps_GivesTheLookUpItsOwnRetries_AndAdopts()
    {
        // Arrange: the run's answer is lost with its connection, then the engine's reads hang three
        // times before the look-up answers: those timeouts are the look-up's retries, not the run's.
        using var fake = FakeDocker.Create()
            .Fails(125, DroppedCreate, "run", times: 1).Prints("should not run twice\n", "run")
            .Hangs("container inspect", times: 3)
            .Prints($"{Id} {{\"k\":\"v\"}}\n", "container inspect");
        var cli = new DockerCli(fake.OptionsOn(_clock));

        // Act
        var running = cli.ExecuteAsync(Create, TestContext.Current.CancellationToken);
        foreach (var hung in new[] { 2, 3, 4 })
        {
            await fake.TimeOutAsync(hung, _clock, cli.Options.DefaultTimeout, TestContext.Current.CancellationToken);
        }

        var result = await running;

        // Assert
        result.Adopted.ShouldBeTrue(fake.ToString());
        result.StandardOutput.ShouldBe(Id + "\n");
        fake.CallsTo("run").ShouldBe(1);
    }

    [Fact]
    public async Task ExecuteAsync_DroppedCreateThenALookUpThatHangsPastItsRetries_FailsWithTheLookUp_AndLooksNoMore()
    {
        // Arrange
        using var fake = FakeDocker.Create()
            .Fails(125, DroppedCreate, "run", times: 1).Prints("should not run twice\n", "run")
            .Hangs("container inspect");
        var cli = new DockerCli(fake.OptionsOn(_clock));

        // Act
        var running = cli.ExecuteAsync(Create, TestContext.Current.CancellationToken);
        foreach (var hung in new[] { 2, 3, 4, 5 })
        {
            await fake.TimeOutAsync(hung, _clock, cli.Options.DefaultTimeout, TestContext.Current.CancellationToken);
        }

        var failure = await Should.ThrowAsync<DockerTimeoutException>(() => running);

        // Assert: the look-up's own limit of retries (3) ends the call; no read or run follows.
        failure.Arguments.ShouldBe(["container", "inspect", "--format", LabelsFormat, "X"]);
        fake.Invocations.ShouldBe(5, fake.ToString());
        fake.CallsTo("run").ShouldBe(1);
    }

    // Starts the command and lets its first attempt run past the limit; returns the call, still running.
    // A detached run of the container X, declared as its builder would (the arguments mirror the declaration).
    private static DockerCommand DetachedRun(IReadOnlyDictionary<string, string> labels) =>
        new DockerCommand(["run", "-d", "--name", "X", .. labels.SelectMany(label => new[] { "--label", $"{label.Key}={label.Value}" }), "img"])
        {
            Shape = ResourceKind.Container.Creates("X", labels, startsContainer: true),
        };

    private async Task<Task<DockerResult>> TimeOutFirstAttemptAsync(FakeDocker fake, DockerCommand command)
    {
        var running = new DockerCli(fake.OptionsOn(_clock)).ExecuteAsync(command, TestContext.Current.CancellationToken);
        await fake.TimeOutAsync(1, _clock, Limit, TestContext.Current.CancellationToken);
        return running;
    }
}
