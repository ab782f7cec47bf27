using System.Diagnostics;
using AgentsRunner.Docker.Benchmarks;
using AgentsRunner.Docker.Benchmarks.Measurement;

var entered = Stopwatch.GetTimestamp();
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException bad)
{
    Console.Error.WriteLine(bad.Message);
    return 2;
}

return options.Child switch
{
    ("cold", var variant) => await ColdStart.RunChildAsync(variant, options.SessionId, entered, cancel.Token),
    ("count", var variant) => await DockerCallCounter.RunChildAsync(variant, options.SessionId, options.CountedLifecycles, cancel.Token),
    null => await BenchmarkDriver.RunAsync(options, cancel.Token),
    _ => 2,
};
