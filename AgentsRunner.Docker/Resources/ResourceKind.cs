namespace AgentsRunner.Docker.Resources;

/// <summary>The kinds of engine object a test creates, in the order cleanup removes them.</summary>
public enum ResourceKind
{
    /// <summary>A container (removed first, with its anonymous volumes).</summary>
    Container,

    /// <summary>A network (removed once no container of the test is attached).</summary>
    Network,

    /// <summary>A named volume (removed last, once no container mounts it).</summary>
    Volume,
}
