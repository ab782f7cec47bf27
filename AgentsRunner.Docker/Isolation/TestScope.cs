using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using AgentsRunner.Docker.Resources;
using AgentsRunner.Docker.Telemetry;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// Everything one test creates on the engine: fresh test-specific names, this project's labels on
/// every object, and a record of each container, network and volume, so that cleanup removes
/// them all (containers, then networks, then volumes) and waits until the engine confirms it.
/// New for every test; safe to use from the test's parallel tasks.
/// </summary>
public sealed partial class TestScope : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TrackedResource> _resources = new(StringComparer.Ordinal);
    private readonly Action<string> _output;
    private readonly string[] _labelArguments;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, Func<string>> _describers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _artifactPaths = new(StringComparer.Ordinal);
    private readonly ScopeEvents _events;
    private readonly Lock _gate = new();
    private readonly long _connectionLossesAtStart;
    private Task<RemovalReport>? _cleanup;
    private Task? _diagnostics;

    internal TestScope(TestSession session, ResourceLedger ledger, string testName, Action<string> output)
    {
        ArgumentNullException.ThrowIfNull(testName);
        Session = session;
        Ledger = ledger;
        TestName = testName;
        _connectionLossesAtStart = session.EngineLosses;
        _output = output;
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var labels = new Dictionary<string, string>(session.Labels, StringComparer.Ordinal)
        {
            [ProjectLabels.Test] = LabelValue(testName),
            [ProjectLabels.Scope] = Id,
            [ProjectLabels.Created] = session.Docker.Options.TimeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        };
        Labels = labels;
        _events = new ScopeEvents(session.Events, Id, IsTracked);
        _labelArguments = [.. labels.SelectMany(label => new[] { "--label", $"{label.Key}={label.Value}" })];
        StartSpan();
    }

    /// <summary>This scope's unique id (in the <see cref="ProjectLabels.Scope"/> label).</summary>
    public string Id { get; }

    /// <summary>The test's name, as given.</summary>
    public string TestName { get; }

    /// <summary>The session the scope belongs to.</summary>
    public TestSession Session { get; }

    /// <summary>The session's resource ledger, which tracks, removes and confirms what this scope creates.</summary>
    internal ResourceLedger Ledger { get; }

    /// <summary>The labels on everything this scope creates.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>What this scope has created and not yet removed.</summary>
    internal IReadOnlyCollection<TrackedResource> Resources => [.. _resources.Values];

    /// <summary>Completes when the scope's cleanup has finished (whether or not it removed everything).</summary>
    internal Task Closed => _closed.Task;

    /// <summary>A fresh name for a resource of this test.</summary>
    public string NewName() => ResourceNamer.NameFor(TestName);

    /// <summary>Records a resource made outside this scope's own methods, so that cleanup removes it.</summary>
    /// <param name="kind">What it is.</param>
    /// <param name="name">Its name (also its reference until <see cref="Resolve"/> gives the id).</param>
    public void Track(ResourceKind kind, string name)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _cleanup) is not null, this);
        var resource = new TrackedResource(kind, name, name);
        _resources[name] = resource;
        Ledger.Track(resource);
    }

    /// <summary>Records the full id of a tracked resource, once known, so that removal is confirmed by the engine's event.</summary>
    internal void Resolve(string name, string id)
    {
        if (_resources.TryGetValue(name, out var resource))
        {
            _resources[name] = resource with { Reference = id };
        }

        ContainerSpans.Created(name, id);
    }

    /// <summary>Where a failed test's forensics files go as they are written (the xUnit package attaches them to the test's result): a name and a path.</summary>
    internal Action<string, string>? ArtifactSink { get; set; }

    /// <summary>The paths in container <paramref name="name"/> that a failed test's forensics copy out.</summary>
    internal IReadOnlyList<string> ArtifactPathsOf(string name) => _artifactPaths.GetValueOrDefault(name, []);

    /// <summary>Records the paths in container <paramref name="name"/> that a failed test's forensics copy out.</summary>
    internal void CollectOnFailure(string name, IReadOnlyList<string> paths)
    {
        if (paths.Count > 0)
        {
            _artifactPaths[name] = paths;
        }
    }

    /// <summary>
    /// Says how a failing test's diagnostics describe container <paramref name="name"/> instead of
    /// reading its logs: a task's container is auto-removed, but its output was kept.
    /// </summary>
    internal void DescribeContainer(string name, Func<string> describe) => _describers[name] = describe;

    /// <summary>What <see cref="DescribeContainer"/> says of container <paramref name="name"/> now; null when nothing was said.</summary>
    internal string? DescriptionOf(string name) => _describers.TryGetValue(name, out var describe) ? describe() : null;

    /// <summary>The arguments that put this scope's labels on an object: <c>--label k=v</c> pairs.</summary>
    public IReadOnlyList<string> LabelArguments => _labelArguments;

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await CleanupAsync(testFailed: false).ConfigureAwait(false);

    internal void Write(string message) => _output(message);

    private bool IsTracked(string nameOrId) =>
        _resources.ContainsKey(nameOrId) || _resources.Values.Any(resource => resource.Reference == nameOrId);

    private static string LabelValue(string text)
    {
        var clean = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
        return clean.Length > 200 ? clean[..200] : clean;
    }
}
