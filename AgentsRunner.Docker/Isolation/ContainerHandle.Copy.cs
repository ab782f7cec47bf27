using AgentsRunner.Docker.Execution;

namespace AgentsRunner.Docker.Isolation;

public sealed partial class ContainerHandle
{
    /// <summary>Copies a host file or directory into the container (<c>docker cp</c>); the container need not be running.</summary>
    /// <param name="hostPath">The file or directory on the host (a relative path is taken from the current directory).</param>
    /// <param name="containerPath">The absolute destination in the container; copying a directory to an existing directory puts it inside.</param>
    /// <param name="timeout">The time limit; null: <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <exception cref="ArgumentException"><paramref name="containerPath"/> is not absolute.</exception>
    /// <exception cref="Errors.DockerException">Docker failed (e.g. no such file on either side).</exception>
    public async Task CopyToAsync(string hostPath, string containerPath, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostPath);
        var target = SpecValidation.AbsoluteContainerPath(containerPath ?? throw new ArgumentNullException(nameof(containerPath)), nameof(containerPath));
        var copy = new DockerCommand(["cp", Path.GetFullPath(hostPath), $"{Id}:{target}"]) { Timeout = LimitOf(timeout, nameof(timeout)), Shape = CommandShape.ChangesState };
        await Docker.ExecuteAsync(copy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies a file or directory out of the container to the host (<c>docker cp</c>); the container need not be running.</summary>
    /// <param name="containerPath">The absolute path in the container.</param>
    /// <param name="hostPath">The destination on the host (a relative path is taken from the current directory).</param>
    /// <param name="timeout">The time limit; null: <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <exception cref="ArgumentException"><paramref name="containerPath"/> is not absolute.</exception>
    /// <exception cref="Errors.DockerException">Docker failed (e.g. no such file in the container).</exception>
    public async Task CopyFromAsync(string containerPath, string hostPath, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostPath);
        var source = SpecValidation.AbsoluteContainerPath(containerPath ?? throw new ArgumentNullException(nameof(containerPath)), nameof(containerPath));
        var copy = new DockerCommand(["cp", $"{Id}:{source}", Path.GetFullPath(hostPath)]) { Timeout = LimitOf(timeout, nameof(timeout)), Shape = CommandShape.ChangesState };
        await Docker.ExecuteAsync(copy, cancellationToken).ConfigureAwait(false);
    }
}
