namespace AgentsRunner.Docker.Tasks;

/// <summary>A state a task's container went through, as the engine's events report it.</summary>
internal enum TaskState
{
    /// <summary>The container was created (<c>create</c> event).</summary>
    Created,

    /// <summary>Its command started (<c>start</c> event).</summary>
    Running,

    /// <summary>Its command exited (<c>die</c> event).</summary>
    Exited,

    /// <summary>The container was removed (<c>destroy</c> event).</summary>
    Removed,
}
