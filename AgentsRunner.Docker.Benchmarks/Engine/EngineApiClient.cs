using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentsRunner.Docker.Benchmarks.Engine;

/// <summary>
/// The Docker Engine API, spoken directly: HTTP/1.1 over the engine's unix socket, API version 1.41
/// (dockerd 20.10). No docker process is started. Thread-safe; connections are pooled and kept alive.
/// </summary>
internal sealed class EngineApiClient : IDisposable
{
    /// <summary>The socket the engine listens on.</summary>
    public const string SocketPath = "/var/run/docker.sock";

    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http;

    public EngineApiClient(string socketPath = SocketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };

        // The event stream never ends: each call gets its own limit instead of HttpClient.Timeout.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/v1.41/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>POST /containers/create?name=…; returns the new container's id.</summary>
    /// <param name="name">The container's name.</param>
    /// <param name="image">Its image.</param>
    /// <param name="command">Its command.</param>
    /// <param name="labels">Its labels.</param>
    /// <param name="networkMode">HostConfig.NetworkMode (<c>none</c>, say); null: the engine's default bridge.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<string> CreateContainerAsync(
        string name, string image, IReadOnlyList<string> command, IReadOnlyDictionary<string, string> labels, string? networkMode, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["Image"] = image,
            ["Cmd"] = new JsonArray([.. command.Select(part => JsonValue.Create(part))]),
            ["Labels"] = new JsonObject(labels.Select(label => KeyValuePair.Create(label.Key, (JsonNode?)JsonValue.Create(label.Value)))),
        };
        if (networkMode is not null)
        {
            body["HostConfig"] = new JsonObject { ["NetworkMode"] = networkMode };
        }

        using var response = await SendAsync(HttpMethod.Post, $"containers/create?name={Uri.EscapeDataString(name)}", body, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, $"create container {name}", cancellationToken);
        var created = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return created?["Id"]?.GetValue<string>() ?? throw new InvalidDataException($"The engine created container {name} but returned no id.");
    }

    /// <summary>POST /containers/{id}/start.</summary>
    public async Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"containers/{id}/start", null, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.NoContent, $"start container {id}", cancellationToken);
    }

    /// <summary>GET /containers/{id}/json: the container's <c>State.Status</c>, or null when there is no such container (404).</summary>
    public async Task<string?> TryGetContainerStatusAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"containers/{id}/json", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response, HttpStatusCode.OK, $"inspect container {id}", cancellationToken);
        var inspect = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return inspect?["State"]?["Status"]?.GetValue<string>() ?? throw new InvalidDataException($"The engine's inspect of {id} has no State.Status.");
    }

    /// <summary>DELETE /containers/{id}?force=true&amp;v=true.</summary>
    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"containers/{id}?force=true&v=true", null, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.NoContent, $"remove container {id}", cancellationToken);
    }

    /// <summary>
    /// Containers, networks and volumes whose <paramref name="labelKey"/> label starts with
    /// <paramref name="valuePrefix"/>.
    /// </summary>
    public async Task<IReadOnlyList<LabelledObject>> ListLabelledAsync(string labelKey, string valuePrefix, CancellationToken cancellationToken)
    {
        var filters = Uri.EscapeDataString(JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = [labelKey] }));
        var containers = await GetJsonAsync($"containers/json?all=1&filters={filters}", cancellationToken);
        var networks = await GetJsonAsync($"networks?filters={filters}", cancellationToken);
        var volumes = await GetJsonAsync($"volumes?filters={filters}", cancellationToken);
        return
        [
            .. Matching(containers.AsArray(), "container", "Id", labelKey, valuePrefix),
            .. Matching(networks.AsArray(), "network", "Id", labelKey, valuePrefix),
            .. Matching(volumes["Volumes"]?.AsArray() ?? [], "volume", "Name", labelKey, valuePrefix),
        ];
    }

    /// <summary>Removes a container (with force), network or volume; true when it was there.</summary>
    public async Task<bool> RemoveAsync(LabelledObject item, CancellationToken cancellationToken)
    {
        var path = item.Kind switch
        {
            "container" => $"containers/{item.Id}?force=true&v=true",
            "network" => $"networks/{item.Id}",
            _ => $"volumes/{item.Id}?force=true",
        };
        using var response = await SendAsync(HttpMethod.Delete, path, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureAsync(response, HttpStatusCode.NoContent, $"remove {item}", cancellationToken);
        return true;
    }

    /// <summary>GET /containers/json: how many containers are running on the engine, anyone's.</summary>
    public async Task<int> CountRunningContainersAsync(CancellationToken cancellationToken) =>
        (await GetJsonAsync("containers/json", cancellationToken)).AsArray().Count;

    /// <summary>GET /version: the engine's version and API version.</summary>
    public async Task<string> DescribeEngineAsync(CancellationToken cancellationToken)
    {
        var version = await GetJsonAsync("version", cancellationToken);
        return $"dockerd {version["Version"]?.GetValue<string>()} (API {version["ApiVersion"]?.GetValue<string>()})";
    }

    /// <summary>Opens GET /events with <paramref name="query"/>; the caller reads the stream of JSON lines and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenEventStreamAsync(string query, CancellationToken cancellationToken)
    {
        var response = await _http.GetAsync($"events?{query}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, "follow events", cancellationToken);
        return response;
    }

    public void Dispose() => _http.Dispose();

    private static IEnumerable<LabelledObject> Matching(JsonArray items, string kind, string idField, string labelKey, string valuePrefix) =>
        from item in items
        let value = item?["Labels"]?[labelKey]?.GetValue<string>()
        where value is not null && value.StartsWith(valuePrefix, StringComparison.Ordinal)
        select new LabelledObject(kind, item?[idField]?.GetValue<string>() ?? "?", value);

    private async Task<JsonNode> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, $"GET {path}", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken)
            ?? throw new InvalidDataException($"GET {path} returned no JSON.");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(CallLimit);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await _http.SendAsync(request, limit.Token);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"Engine API: {what} answered {(int)response.StatusCode} (expected {(int)expected}): {text.Trim()}");
        }
    }
}
