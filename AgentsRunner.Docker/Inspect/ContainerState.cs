using System.Text.Json.Serialization;

namespace AgentsRunner.Docker.Inspect;

/// <summary>A container's <c>State</c>, as <c>docker container inspect</c> reports it.</summary>
/// <param name="Status">created, running, paused, restarting, removing, exited or dead.</param>
/// <param name="Running">Whether the container's process is running.</param>
/// <param name="Paused">Whether it is paused.</param>
/// <param name="Restarting">Whether it is being restarted.</param>
/// <param name="OOMKilled">Whether the kernel killed it for running out of memory.</param>
/// <param name="Dead">Whether the engine gave up on it.</param>
/// <param name="Pid">Its main process's id on the host; 0 when not running.</param>
/// <param name="ExitCode">Its last exit code; 0 before it first exits.</param>
/// <param name="Error">The engine's error starting it; empty when none.</param>
/// <param name="StartedAt">When it last started; null if never.</param>
/// <param name="FinishedAt">When it last exited; null if never.</param>
/// <param name="Health">Its health check's status, when it has one.</param>
public sealed record ContainerState(
    string Status,
    bool Running,
    bool Paused,
    bool Restarting,
    bool OOMKilled,
    bool Dead,
    int Pid,
    int ExitCode,
    string Error,
    [property: JsonConverter(typeof(DockerTimeConverter))] DateTimeOffset? StartedAt,
    [property: JsonConverter(typeof(DockerTimeConverter))] DateTimeOffset? FinishedAt,
    HealthState? Health);
