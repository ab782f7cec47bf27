namespace AgentsRunner.Docker.Isolation;

/// <summary>One line a container printed, from <see cref="ContainerHandle.FollowLogsAsync"/>.</summary>
/// <param name="Source">Which stream it came from.</param>
/// <param name="Text">The line, without its line break.</param>
public sealed record LogLine(LogSource Source, string Text);
