using AgentsRunner.Docker.Errors;
using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Resources;

/// <summary>
/// Endpoints that dockerd kept on a network after removing their container (its network teardown
/// races under load): <c>network rm</c> then fails with "has active endpoints" though no container
/// is left, for good. They are disconnected by name, the one handle dockerd accepts for them; the
/// endpoint of a container the engine still knows is never touched.
/// </summary>
internal static class StaleEndpoints
{
    /// <summary>The marker of the failure they cause, in <c>network rm</c>'s stderr.</summary>
    public const string RemovalFailure = "has active endpoints";

    // One "CONTAINER-ID NAME" line per endpoint; a stale endpoint's id may be "ep-..." (no container).
    private const string EndpointsTemplate = "{{range $id, $c := .Containers}}{{$id}} {{$c.Name}}{{println}}{{end}}";

    /// <summary>Prints a "CONTAINER-ID NAME" line per endpoint of the network that follows it.</summary>
    public static IReadOnlyList<string> ListCommand { get; } = ["network", "inspect", "--format", EndpointsTemplate];

    /// <summary>Disconnects from the network that follows it the endpoint named after that.</summary>
    public static IReadOnlyList<string> DisconnectCommand { get; } = ["network", "disconnect", "--force"];

    /// <summary>
    /// Disconnects from <paramref name="network"/> each endpoint whose container the engine no longer
    /// knows. Never throws a docker failure: it is returned, for the removal's report to carry.
    /// </summary>
    public static async Task<Outcome> DisconnectAsync(DockerCli docker, RemovalWaiter waiter, string network, CancellationToken cancellationToken)
    {
        DockerResult endpoints;
        try
        {
            endpoints = await docker.ExecuteAsync(new DockerCommand([.. ListCommand, network]) { Shape = CommandShape.Reads }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerException failure)
        {
            // Nothing disconnected; the removal's report carries why, beside its own error.
            return new Outcome(0, failure.Message);
        }

        var disconnected = 0;
        foreach (var line in endpoints.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', 2);
            try
            {
                if (fields.Length < 2 || await waiter.ExistsAsync(ResourceKind.Container, fields[0], cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                await docker.ExecuteAsync(new DockerCommand([.. DisconnectCommand, network, fields[1]]) { Shape = CommandShape.ChangesState }, cancellationToken).ConfigureAwait(false);
                disconnected++;
            }
            catch (DockerException failure)
            {
                return new Outcome(disconnected, failure.Message);
            }
        }

        return new Outcome(disconnected, null);
    }

    /// <summary>What <see cref="DisconnectAsync"/> did.</summary>
    /// <param name="Disconnected">How many stale endpoints it disconnected.</param>
    /// <param name="Failure">The docker failure that stopped it, if one did.</param>
    public sealed record Outcome(int Disconnected, string? Failure);
}
