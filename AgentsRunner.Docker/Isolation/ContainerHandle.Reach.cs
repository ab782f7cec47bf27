using System.Net;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class ContainerHandle
{
    /// <summary>
    /// The reason a readiness wait cannot be met from this host: the container's address is on the
    /// engine's host, which the CLI may reach through ssh or tcp while this host has no route to it.
    /// </summary>
    private NotReadyException Unreachable(IPAddress address, string observed)
    {
        var endpoint = new[] { "DOCKER_HOST", "CONTAINER_HOST", "DOCKER_CONTEXT" }
            .Select(name => (Name: name, Value: Docker.Options.VariableOfProcesses(name)))
            .FirstOrDefault(variable => !string.IsNullOrWhiteSpace(variable.Value));
        var engine = endpoint.Value is null ? "the CLI's default engine" : $"the engine {endpoint.Name}={endpoint.Value}";
        return new NotReadyException(
            $"this host cannot reach the container's address {address} ({observed}): its network is on the host of {engine}. "
            + "A remote engine's container networks are not routed to the test host: wait with WaitForLogAsync, or check from inside the container with ExecAsync, "
            + "or run the tests on the engine's host.");
    }
}
