using AgentsRunner.Docker;
using AgentsRunner.Docker.Isolation;

// Usage: AgentsRunner.Docker.SessionHost CONTAINERS
// Starts a session (options from the environment, as a test run's), makes CONTAINERS sleeping
// containers on a network of its own with a volume, prints "ready SESSION", and holds them until its
// standard input closes; then it ends the session normally and prints "ended". Killed instead, it
// leaves the clean-up to the session's crash reaper.
var count = args.Length > 0 && int.TryParse(args[0], out var n) && n > 0 ? n : 3;
var session = await TestSession.StartAsync(TestSessionOptions.FromEnvironment());

// "ready" says the session is fully set up: its sweep done too.
await session.WaitUntilReadyAsync();
var scope = session.BeginScope("session-host", Console.Error.WriteLine);
var network = await scope.CreateNetworkAsync();
var volume = await scope.CreateVolumeAsync();
await Task.WhenAll(Enumerable.Range(0, count).Select(_ => scope.RunContainerAsync(
    ContainerSpec.Of("sleep", "600") with { Network = network, Volumes = new Dictionary<string, string> { [volume] = "/data" } })));
Console.WriteLine($"ready {session.Id}");

await Console.In.ReadToEndAsync();
await scope.CleanupAsync(testFailed: false);
await session.EndAsync();
Console.WriteLine("ended");
