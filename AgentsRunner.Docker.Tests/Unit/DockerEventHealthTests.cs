using AgentsRunner.Docker.Events;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerEventHealthTests
{
    [Theory]
    [InlineData("health_status: healthy", "healthy")]
    [InlineData("health_status: unhealthy", "unhealthy")]
    [InlineData("health_status:starting", "starting")]
    [InlineData("die", null)]
    [InlineData("exec_start: sh -c health_status: healthy", null)]
    public void HealthStatus_OfAnEngineEvent_IsTheCheckResultOrNull(string action, string? expected)
    {
        // Arrange
        var e = new DockerEvent("container", action, "abc", new Dictionary<string, string>(), 0);

        // Act & Assert
        e.HealthStatus.ShouldBe(expected);
    }
}
