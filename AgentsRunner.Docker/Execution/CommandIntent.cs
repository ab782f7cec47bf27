namespace AgentsRunner.Docker.Execution;

/// <summary>What a docker command does to the engine, which decides how it may be retried.</summary>
internal enum CommandIntent
{
    /// <summary>Only reads (inspect, ps, version…): safe to repeat.</summary>
    ReadOnly,

    /// <summary>Creates a named object (create, run -d, network/volume create): repeatable only after checking what the failed attempt made.</summary>
    Creates,

    /// <summary>Anything else: repeated only when the request provably never reached the engine.</summary>
    Mutates,
}
