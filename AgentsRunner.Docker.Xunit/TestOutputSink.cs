using Xunit;

namespace AgentsRunner.Docker.Xunit;

/// <summary>
/// Where a scope's messages go: the test's own output while the test runs. A line written after
/// xUnit has reported the test (a timed-out test's cleanup runs later) goes to standard error
/// instead, named for the test, rather than being lost or failing the cleanup.
/// </summary>
internal sealed class TestOutputSink(ITestOutputHelper? output, string testName)
{
    public void Write(string line)
    {
        if (output is not null)
        {
            try
            {
                output.WriteLine(line);
                return;
            }
            catch (InvalidOperationException)
            {
                // The test is over as far as xUnit is concerned: its output is closed.
            }
        }

        Console.Error.WriteLine($"[{testName}] {line}");
    }
}
