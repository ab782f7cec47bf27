using AgentsRunner.Docker.Isolation;
using Xunit;

namespace AgentsRunner.Docker.Xunit;

/// <summary>
/// Attaches a failed test's forensics files to its result (xUnit v3 attachments: they appear in the
/// TRX report and in CI's test report), each within the forensics' size cap; a larger copied file
/// stays on disk and the attachment says where.
/// </summary>
internal static class ForensicsAttachment
{
    public static void Attach(ITestContext context, string name, string path)
    {
        try
        {
            var size = new FileInfo(path).Length;
            if (size > FailureForensics.FileCap)
            {
                context.AddAttachment(name, $"{path} is {size} bytes, over the cap of {FailureForensics.FileCap}: not attached; it is on disk.");
            }
            else
            {
                context.AddAttachment(name, File.ReadAllBytes(path), MediaType(path));
            }
        }
        catch (InvalidOperationException)
        {
            // The test's result is reported already (a late cleanup): the file stays on disk, and says where.
            Console.Error.WriteLine($"agents-runner: {name} could not be attached (the test's result was reported already); it is on disk at {path}");
        }
    }

    private static string MediaType(string path) => Path.GetExtension(path) switch
    {
        ".json" => "application/json",
        ".log" or ".txt" => "text/plain",
        _ => "application/octet-stream",
    };
}
