using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>Standard error samples captured from a real engine: dockerd 20.10 with docker CLI 28.2.</summary>
public sealed class DockerErrorClassifierTests
{
    public static TheoryData<string, DockerErrorKind> Samples => new()
    {
        { "Error response from daemon: No such container: nope", DockerErrorKind.NotFound },
        { "Error: No such object: nope", DockerErrorKind.NotFound },
        { "Error response from daemon: network nope not found", DockerErrorKind.NotFound },
        { "Error response from daemon: get nope: no such volume", DockerErrorKind.NotFound },
        { "Error response from daemon: no such image: nope:1: No such image: nope:1", DockerErrorKind.NotFound },
        {
            "Error response from daemon: Conflict. The container name \"/dup\" is already in use by container "
            + "\"2c33248f070290d6bcd25598c0405551d50de5180ee5c669e1b0b768940a09be\". You have to remove (or rename) "
            + "that container to be able to reuse that name.",
            DockerErrorKind.Conflict
        },
        { "Error response from daemon: network with name dupn already exists", DockerErrorKind.Conflict },
        { "Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?", DockerErrorKind.DaemonUnavailable },
        {
            "unknown flag: --bogus\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information",
            DockerErrorKind.BadArguments
        },
        { "docker: unknown command: docker frobnicate\n\nRun 'docker --help' for more information", DockerErrorKind.BadArguments },
        {
            "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: "
            + "unable to start container process: exec: \"/nonexistent\": stat /nonexistent: no such file or directory: unknown"
            + "\n\nRun 'docker run --help' for more information",
            DockerErrorKind.CommandFailed
        },
        { "", DockerErrorKind.CommandFailed },
        { "Error response from daemon: context deadline exceeded", DockerErrorKind.TransientEngineError },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Classify_RealEngineSample_ReturnsItsKind(string standardError, DockerErrorKind expected)
    {
        // Act
        var kind = DockerErrorClassifier.Classify(standardError);

        // Assert
        kind.ShouldBe(expected);
    }

    // Not captured: built on the formats above, for rules the captured samples do not reach.
    [Theory]
    [InlineData("docker: Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp 54.1.2.3:443: connect: connection refused", DockerErrorKind.CommandFailed)]
    [InlineData("Error response from daemon: Get \"https://r.example/v2/\": net/http: TLS handshake timeout", DockerErrorKind.TransientEngineError)]
    [InlineData("permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: dial unix /var/run/docker.sock: connect: permission denied", DockerErrorKind.DaemonUnavailable)]
    [InlineData("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown", DockerErrorKind.CommandFailed)]
    [InlineData("Error response from daemon: Container 2c33 is not running", DockerErrorKind.Conflict)]
    public void Classify_DaemonAnswered_IsNeverDaemonUnavailable(string standardError, DockerErrorKind expected)
    {
        // Act
        var kind = DockerErrorClassifier.Classify(standardError);

        // Assert
        kind.ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   \n")]
    [InlineData("something nobody has seen before")]
    public void Classify_EmptyOrUnknownText_IsCommandFailed(string? standardError)
    {
        // Act
        var kind = DockerErrorClassifier.Classify(standardError);

        // Assert
        kind.ShouldBe(DockerErrorKind.CommandFailed);
    }
}
