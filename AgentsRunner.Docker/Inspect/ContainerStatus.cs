namespace AgentsRunner.Docker.Inspect;

/// <summary>
/// A container's status in docker's words. Podman's inspect reports its own states too: <c>stopped</c>
/// (the process has exited, its clean-up is pending: docker's <c>exited</c>) and <c>configured</c>
/// (docker's <c>created</c>).
/// </summary>
internal static class ContainerStatus
{
    /// <summary>Docker's word for <paramref name="status"/>; docker's own words are returned as they are.</summary>
    public static string Normalize(string status) => status switch
    {
        "stopped" => "exited",
        "configured" => "created",
        _ => status,
    };
}
