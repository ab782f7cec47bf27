namespace AgentsRunner.Docker.Isolation;

/// <summary>One line a container printed, from <see cref="ContainerHandle.FollowLogsAsync"/>.</summary>
/// <param name="Text">The line, without its line break.</param>
/// <param name="FromStandardError">Whether it came from standard error (else standard output).</param>
public sealed record LogLine(string Text, bool FromStandardError);
