using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary>
/// Whose failure it is, on output captured from the docker CLI 28.2 against dockerd 20.10 (and a
/// socket that does not exist), and from podman 4.3.1: docker's message is found where the CLI prints
/// it, and a message that is all the CLI printed (but for its notices) proves that nothing ran.
/// </summary>
public sealed class CliMessageTests
{
    private const string NoSocket = "Cannot connect to the Docker daemon at unix:///tmp/nonexistent.sock. Is the docker daemon running?";

    public static TheoryData<int, string, string, string, bool> Captured => new()
    {
        // exit, stdout, stderr, the kind, whether it is all the output
        { 125, "", $"docker: {NoSocket}\n\nRun 'docker run --help' for more information\n", nameof(DockerErrorKind.DaemonUnavailable), true },
        { 1, "", NoSocket + "\n", nameof(DockerErrorKind.DaemonUnavailable), true },
        { 1, "[]\n", NoSocket + "\n", nameof(DockerErrorKind.DaemonUnavailable), true },
        {
            1, "", "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n"
            + "            Install the buildx component to build images with BuildKit:\n            https://docs.docker.com/go/buildx/\n\n" + NoSocket + "\n",
            nameof(DockerErrorKind.DaemonUnavailable), true
        },
        {
            1, "", "time=\"2026-12-06T05:48:56Z\" level=error msg=\"Can't add file /etc/hostname to tar: io: read/write on closed pipe\"\n"
            + "time=\"2026-12-06T05:48:56Z\" level=error msg=\"Can't close tar writer: io: read/write on closed pipe\"\n" + NoSocket + "\n",
            nameof(DockerErrorKind.DaemonUnavailable), true
        },
        { 1, "", "Error response from daemon: network nosuchthing not found\nexit status 1\n", nameof(DockerErrorKind.NotFound), true },
        { 125, "", "docker: Error response from daemon: No such image: nosuch/image:1\n\nRun 'docker run --help' for more information\n", nameof(DockerErrorKind.NotFound), true },
        {
            125, "", "Unable to find image 'nosuch/image:1' locally\ndocker: Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host\n\nRun 'docker run --help' for more information\n",
            nameof(DockerErrorKind.CommandFailed), true
        },
        {
            127, "", "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"npm\": executable file not found in $PATH: unknown\n\nRun 'docker run --help' for more information\n",
            nameof(DockerErrorKind.ProgramNotStarted), true
        },
        {
            126, "OCI runtime exec failed: exec failed: unable to start container process: exec: \"/no/such/tool\": stat /no/such/tool: no such file or directory: unknown\n", "",
            nameof(DockerErrorKind.ProgramNotStarted), true
        },
        { 1, "", "Error response from daemon: Container ada271558b3b is not running\n", nameof(DockerErrorKind.Conflict), true },
        { 125, "", "unknown flag: --badflag\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", nameof(DockerErrorKind.BadArguments), true },
        { 125, "", "Error: inspecting object: no such object: \"nosuch\"\n", nameof(DockerErrorKind.NotFound), true },
        { 255, "", "Error: can only create exec sessions on running containers: container state improper\n", nameof(DockerErrorKind.Conflict), true },
    };

    [Theory]
    [MemberData(nameof(Captured))]
    public void DockersOwnFailure_CapturedOutput_IsDockersWithItsKind(int exitCode, string standardOutput, string standardError, string kind, bool isAllOutput)
    {
        // Act
        var message = DockerFailureBoundary.DockersOwnFailure(CommandInContainer.None, exitCode, standardOutput, standardError);

        // Assert
        message.ShouldNotBeNull();
        DockerErrors.KindOf(message, exitCode).ToString().ShouldBe(kind);
        message.IsAllOutput.ShouldBe(isAllOutput);
    }

    [Theory]
    [InlineData(1, "job output\n", "Error response from daemon: No such container: x\n", "Exec")]
    [InlineData(125, "", "Error response from daemon: No such container: x\n", "AttachedRun")]
    [InlineData(1, "", "docker: Error response from daemon: No such container: x\n", "AttachedRun")]
    [InlineData(127, "", "/bin/sh: npm: not found\n", "None")]
    [InlineData(126, "", "Error response from daemon: No such container: x\n", "None")]
    [InlineData(255, "", NoSocket + "\n", "None")]
    [InlineData(3, "", NoSocket + "\n", "None")]
    [InlineData(1, "", "Error: config file not found\n", "None")]
    public void DockersOwnFailure_WordsWhereOrWithACodeDockerNeverUses_AreTheCommands(int exitCode, string standardOutput, string standardError, string kind)
    {
        // Act
        var message = DockerFailureBoundary.DockersOwnFailure(Enum.Parse<CommandInContainer>(kind), exitCode, standardOutput, standardError);

        // Assert
        message.ShouldBeNull();
    }

    [Fact]
    public void Reason_DropsTheCliPrefixAndItsTrailers()
    {
        // Arrange
        var message = CliMessage.Find(125, string.Empty, "docker: Error response from daemon: No such image: a:1\n\nRun 'docker run --help' for more information\n");

        // Act
        var reason = message!.Reason();

        // Assert
        reason.ShouldBe("Error response from daemon: No such image: a:1.");
    }
}
