namespace AgentsRunner.Docker.Isolation;

/// <summary>The image a session's tests run in, as it was when the session started.</summary>
/// <param name="Name">Its reference, e.g. <c>agents-runner-test/busybox:1.36.1-1</c>.</param>
/// <param name="Id">Its id (<c>sha256:…</c>); the session's end checks that it did not change.</param>
internal sealed record SessionImage(string Name, string Id);
