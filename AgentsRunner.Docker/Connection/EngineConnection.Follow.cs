namespace AgentsRunner.Docker.Connection;

/// <summary>A followed stream over the connection: the session's events.</summary>
internal sealed partial class EngineConnection
{
    // An engine answers a stream's request with its headers at once: a connection that has not within
    // this limit is hung, and the caller follows the stream with a docker process instead.
    private static readonly TimeSpan FollowHeadersLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Follows <c>GET</c> <paramref name="pathAndQuery"/> (without the API version, which this adds),
    /// passing each line of its body to <paramref name="onLine"/> until the engine ends it or
    /// <paramref name="cancellationToken"/> stops it. The stream holds one of the connections for as
    /// long as it runs.
    /// </summary>
    /// <returns>True when the stream ran and the engine ended it; false when the connection could not
    /// carry it (not open yet, paused, or no answer): the caller then follows it with a docker process.</returns>
    /// <exception cref="IOException">The stream broke after it began (the engine restarted, the connection dropped).</exception>
    /// <exception cref="HttpRequestException">The same, as HTTP reports it.</exception>
    /// <exception cref="InvalidOperationException">The engine refused the request.</exception>
    public async Task<bool> TryFollowAsync(string pathAndQuery, Action<string> onLine, CancellationToken cancellationToken)
    {
        if (VersionOrProbe() is not { } version)
        {
            return false;
        }

        using var closedOrStopped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        using var response = await StartFollowingAsync($"{version}/{pathAndQuery}", closedOrStopped.Token).ConfigureAwait(false);
        if (response is null)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            var refusal = await response.Content.ReadAsStringAsync(closedOrStopped.Token).ConfigureAwait(false);
            throw new InvalidOperationException($"the engine answered GET /{pathAndQuery} with {(int)response.StatusCode}: {refusal.Trim()}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(closedOrStopped.Token).ConfigureAwait(false);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(closedOrStopped.Token).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                onLine(line);
            }
        }

        return true;
    }

    // The stream's response, once its headers came; null (the failure counted) when they did not in time.
    private async Task<HttpResponseMessage?> StartFollowingAsync(string path, CancellationToken cancellationToken)
    {
        using var headers = new CancellationTokenSource(FollowHeadersLimit, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, headers.Token);
        try
        {
            var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _failuresInARow, 0);
            return response;
        }
        catch (OperationCanceledException) when (headers.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Failed($"no answer within {FollowHeadersLimit.TotalSeconds:0} s");
            return null;
        }
        catch (Exception failure) when (failure is HttpRequestException or IOException)
        {
            Failed(Reason(failure));
            return null;
        }
    }
}
