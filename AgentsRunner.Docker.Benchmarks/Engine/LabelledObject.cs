namespace AgentsRunner.Docker.Benchmarks.Engine;

/// <summary>A container, network or volume found by its session label.</summary>
/// <param name="Kind">container, network or volume.</param>
/// <param name="Id">Its id (a volume's name).</param>
/// <param name="Session">The value of its <c>agents-runner.session</c> label.</param>
internal sealed record LabelledObject(string Kind, string Id, string Session)
{
    public override string ToString() => $"{Kind} {Id[..Math.Min(12, Id.Length)]} (session {Session})";
}
