namespace AgentsRunner.Docker.Errors;

/// <summary>Docker's own failure as read from its message: its kind, and the reason in docker's words.</summary>
/// <param name="Kind">What kind of failure it is.</param>
/// <param name="Reason">Docker's message as a sentence (<see cref="CliMessage.Reason"/>).</param>
internal sealed record DockerFailure(DockerErrorKind Kind, string Reason);
