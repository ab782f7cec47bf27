using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>Standard error samples captured from real engines: dockerd 20.10 with docker CLI 28.2, and podman 4.3.1 (Debian 12, as root).</summary>
public sealed class DockerErrorsClassifyTests
{
    public static TheoryData<string, string> Samples => new()
    {
        { "Error response from daemon: No such container: nope", nameof(DockerErrorKind.NotFound) },
        { "Error: No such object: nope", nameof(DockerErrorKind.NotFound) },
        { "Error response from daemon: network nope not found", nameof(DockerErrorKind.NotFound) },
        { "Error response from daemon: get nope: no such volume", nameof(DockerErrorKind.NotFound) },
        { "Error response from daemon: no such image: nope:1: No such image: nope:1", nameof(DockerErrorKind.NotFound) },
        {
            "Error response from daemon: Conflict. The container name \"/dup\" is already in use by container "
            + "\"2c33248f070290d6bcd25598c0405551d50de5180ee5c669e1b0b768940a09be\". You have to remove (or rename) "
            + "that container to be able to reuse that name.", nameof(DockerErrorKind.Conflict)
        },
        { "Error response from daemon: network with name dupn already exists", nameof(DockerErrorKind.Conflict) },
        { "Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?", nameof(DockerErrorKind.DaemonUnavailable) },
        {
            "unknown flag: --bogus\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information", nameof(DockerErrorKind.BadArguments)
        },
        { "docker: unknown command: docker frobnicate\n\nRun 'docker --help' for more information", nameof(DockerErrorKind.BadArguments) },
        {
            "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: "
            + "unable to start container process: exec: \"/nonexistent\": stat /nonexistent: no such file or directory: unknown"
            + "\n\nRun 'docker run --help' for more information", nameof(DockerErrorKind.CommandFailed)
        },
        { "", nameof(DockerErrorKind.CommandFailed) },
        { "Error response from daemon: context deadline exceeded", nameof(DockerErrorKind.TransientEngineError) },

        // podman 4.3.1
        { "Error: inspecting object: no such container nosuch", nameof(DockerErrorKind.NotFound) },
        { "Error: inspecting object: no such object: \"nosuch\"", nameof(DockerErrorKind.NotFound) },
        { "Error: no container with name or ID \"nosuch\" found: no such container", nameof(DockerErrorKind.NotFound) },
        { "Error: inspecting object: network nosuch: unable to find network with name or ID nosuch: network not found", nameof(DockerErrorKind.NotFound) },
        { "Error: unable to find network with name or ID nosuch: network not found", nameof(DockerErrorKind.NotFound) },
        { "Error: inspecting object: no such volume nosuch", nameof(DockerErrorKind.NotFound) },
        { "Error: no volume with name \"nosuch\" found: no such volume", nameof(DockerErrorKind.NotFound) },
        { "Error: inspecting object: nosuch:1: image not known", nameof(DockerErrorKind.NotFound) },
        { "Error: can only create exec sessions on running containers: container state improper", nameof(DockerErrorKind.Conflict) },
        {
            "Error: volume pv is being used by the following container(s): 0014d7a823ac931792f117e6195dc2cde021d5d7cbf5079d19bb90b550edaa27: volume is being used", nameof(DockerErrorKind.Conflict)
        },
        {
            "Error: creating container storage: the container name \"pc\" is already in use by 0014d7a823ac931792f117e6195dc2cde021d5d7cbf5079d19bb90b550edaa27. "
            + "You have to remove that container to be able to reuse that name: that name is already in use", nameof(DockerErrorKind.Conflict)
        },
        { "Error: route ip+net: no such network interface", nameof(DockerErrorKind.TransientEngineError) },
        {
            "Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`, or try `podman machine init` and `podman machine start` to manage a new Linux VM\n"
            + "Error: unable to connect to Podman socket: Get \"http://d/v4.3.1/libpod/_ping\": dial unix /nonexistent.sock: connect: no such file or directory", nameof(DockerErrorKind.DaemonUnavailable)
        },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Classify_RealEngineSample_ReturnsItsKind(string standardError, string expected)
    {
        // Act
        var kind = DockerErrors.Classify(standardError);

        // Assert
        kind.ToString().ShouldBe(expected);
    }

    // Not captured: built on the formats above, for rules the captured samples do not reach.
    [Theory]
    [InlineData("docker: Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp 54.1.2.3:443: connect: connection refused", nameof(DockerErrorKind.CommandFailed))]
    [InlineData("Error response from daemon: Get \"https://r.example/v2/\": net/http: TLS handshake timeout", nameof(DockerErrorKind.TransientEngineError))]
    [InlineData("permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: dial unix /var/run/docker.sock: connect: permission denied", nameof(DockerErrorKind.DaemonUnavailable))]
    [InlineData("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown", nameof(DockerErrorKind.CommandFailed))]
    [InlineData("Error response from daemon: Container 2c33 is not running", nameof(DockerErrorKind.Conflict))]
    public void Classify_DaemonAnswered_IsNeverDaemonUnavailable(string standardError, string expected)
    {
        // Act
        var kind = DockerErrors.Classify(standardError);

        // Assert
        kind.ToString().ShouldBe(expected);
    }

    // Captured from the docker CLI 28.2 against a unix socket that accepted and then dropped the
    // connection: before any request (the ping), or after the command's own request was written.
    public static TheoryData<string, string> TransportSamples => new()
    {
        { "error during connect: Head \"http://%2Ftmp%2Feof.sock/_ping\": EOF", nameof(DockerErrorKind.DaemonUnavailable) },
        { "Cannot connect to the Docker daemon at tcp://127.0.0.1:1. Is the docker daemon running?", nameof(DockerErrorKind.DaemonUnavailable) },
        { "error during connect: Post \"http://%2Ftmp%2Feof.sock/v1.41/containers/create?name=x\": write unix @->/tmp/eof.sock: write: broken pipe", nameof(DockerErrorKind.TransientEngineError) },
        { "error during connect: Post \"http://%2Ftmp%2Feof.sock/v1.41/networks/create\": EOF", nameof(DockerErrorKind.TransientEngineError) },
        { "error during connect: Delete \"http://%2Ftmp%2Feof.sock/v1.41/containers/x?force=1\": EOF", nameof(DockerErrorKind.TransientEngineError) },
        { "error during connect: Get \"http://%2Ftmp%2Feof.sock/v1.41/containers/json\": EOF", nameof(DockerErrorKind.TransientEngineError) },
        // Not captured, in the same format: a refused or missing socket, a remote host, a reset after the request.
        { "error during connect: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.41/containers/json\": dial unix /var/run/docker.sock: connect: no such file or directory", nameof(DockerErrorKind.DaemonUnavailable) },
        { "error during connect: Post \"http://%2Fvar%2Frun%2Fdocker.sock/v1.41/containers/create\": dial unix /var/run/docker.sock: connect: connection refused", nameof(DockerErrorKind.DaemonUnavailable) },
        { "error during connect: Get \"https://10.0.0.9:2376/v1.41/info\": dial tcp 10.0.0.9:2376: i/o timeout", nameof(DockerErrorKind.DaemonUnavailable) },
        { "error during connect: Post \"http://%2Fvar%2Frun%2Fdocker.sock/v1.41/containers/create?name=x\": read unix @->/var/run/docker.sock: read: connection reset by peer", nameof(DockerErrorKind.TransientEngineError) },
        { "error during connect: Post \"http://%2Fvar%2Frun%2Fdocker.sock/v1.41/volumes/create?name=not-found-x\": EOF", nameof(DockerErrorKind.TransientEngineError) },
    };

    [Theory]
    [MemberData(nameof(TransportSamples))]
    public void Classify_TransportError_TellsAFailedConnectFromADroppedRequest(string standardError, string expected)
    {
        // Act
        var kind = DockerErrors.Classify(standardError);

        // Assert
        kind.ToString().ShouldBe(expected);
    }

    // Not captured: docker's and podman's answers to a run or create of a missing image with --pull never.
    [Theory]
    [InlineData("docker: Error response from daemon: No such image: img:1\n\nRun 'docker run --help' for more information", true)]
    [InlineData("Error: img:1: image not known", true)]
    [InlineData("docker: Error response from daemon: network net1 not found\n\nRun 'docker run --help' for more information", false)]
    public void IsMissingImage_TellsAMissingImageFromAnotherMissingObject(string standardError, bool expected)
    {
        // Act
        var missing = DockerErrors.IsMissingImage(standardError);

        // Assert
        missing.ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   \n")]
    [InlineData("something nobody has seen before")]
    public void Classify_EmptyOrUnknownText_IsCommandFailed(string? standardError)
    {
        // Act
        var kind = DockerErrors.Classify(standardError);

        // Assert
        kind.ShouldBe(DockerErrorKind.CommandFailed);
    }
}
