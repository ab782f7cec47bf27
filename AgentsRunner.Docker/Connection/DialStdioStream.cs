using System.IO.Pipelines;
using CliWrap;

namespace AgentsRunner.Docker.Connection;

/// <summary>
/// One connection to the engine: a <c>docker system dial-stdio</c> process (the CLI's own proxy to
/// whatever engine it is configured for), written to through its standard input and read from its
/// standard output. Disposing it closes the process's input and kills it. A test host that dies
/// closes the input too: the process then ends by itself.
/// </summary>
internal sealed class DialStdioStream : Stream
{
    private readonly Pipe _toEngine = new();
    private readonly Pipe _fromEngine = new();
    private readonly Stream _reader;
    private readonly Stream _writer;
    private readonly CancellationTokenSource _kill = new();
    private int _disposed;
    private volatile string? _lastErrorLine;

    private DialStdioStream(string executable, IReadOnlyDictionary<string, string?> environment)
    {
        _reader = _fromEngine.Reader.AsStream();
        _writer = _toEngine.Writer.AsStream();
        var process = Cli.Wrap(executable)
            .WithArguments(["system", "dial-stdio"])
            .WithEnvironmentVariables(environment)
            .WithStandardInputPipe(PipeSource.FromStream(_toEngine.Reader.AsStream()))
            .WithStandardOutputPipe(PipeTarget.ToStream(_fromEngine.Writer.AsStream()))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => _lastErrorLine = line))
            .WithValidation(CommandResultValidation.None);
        Exited = RunAsync(process);
    }

    /// <summary>Ends when the process has ended (or never started): its exit code, or null when it could not start.</summary>
    public Task<int?> Exited { get; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Starts the process with <paramref name="environment"/>; a failed start's last standard error line becomes the read error.</summary>
    public static DialStdioStream Start(string executable, IReadOnlyDictionary<string, string?> environment) =>
        new(executable, environment);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _reader.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _reader.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _writer.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _writer.Write(buffer, offset, count);

    public override void Flush() => _writer.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _toEngine.Writer.Complete();
            _fromEngine.Reader.Complete();
            try
            {
                _kill.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The process has ended already.
            }
        }

        base.Dispose(disposing);
    }

    // The process's life; when it ends, a read sees the end of the stream (never a hang).
    private async Task<int?> RunAsync(Command process)
    {
        try
        {
            var result = await process.ExecuteAsync(_kill.Token).ConfigureAwait(false);

            // A failed start (no engine, no dial-stdio) is an error, not an end of stream: the HTTP
            // client then gives up on the request rather than try connection after connection.
            await _fromEngine.Writer.CompleteAsync(result.ExitCode == 0 ? null
                : new IOException(_lastErrorLine is { } said ? $"docker system dial-stdio: {said} (exit {result.ExitCode})" : $"docker system dial-stdio exited {result.ExitCode}")).ConfigureAwait(false);
            return result.ExitCode;
        }
        catch (Exception failure) when (failure is OperationCanceledException or System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            await _fromEngine.Writer.CompleteAsync(failure is OperationCanceledException ? null : new IOException("docker system dial-stdio did not start.", failure)).ConfigureAwait(false);
            return null;
        }
        finally
        {
            _kill.Dispose();
        }
    }
}
