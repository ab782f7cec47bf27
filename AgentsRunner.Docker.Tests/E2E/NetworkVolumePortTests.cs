using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Resources;

namespace AgentsRunner.Docker.Tests.E2E;

public sealed class NetworkVolumePortTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    [Fact]
    public async Task Two_containers_share_a_network_and_a_volume_and_nothing_is_left_after_the_scope()
    {
        var network = await Scope.CreateNetworkAsync(Cancellation);
        var volume = await Scope.CreateVolumeAsync(Cancellation);
        var server = await Scope.RunContainerAsync(
            ContainerSpec.Of("/bin/sh", "-c", "echo written-by-server > /data/note.txt && exec httpd -f -p 8080 -h /data") with
            {
                Network = network,
                Volumes = new Dictionary<string, string> { [volume] = "/data" },
            },
            Cancellation);
        var client = await Scope.RunContainerAsync(
            ContainerSpec.Of("/bin/sh", "-c", $"until wget -q -O - http://{server.Name}:8080/note.txt; do sleep 0.1; done; cat /shared/note.txt") with
            {
                Network = network,
                Volumes = new Dictionary<string, string> { [volume] = "/shared" },
            },
            Cancellation);

        var exitCode = await Docker.RunDockerAsync(["wait", client.Id], TimeSpan.FromSeconds(30), Cancellation);
        var output = await Docker.RunDockerAsync(DockerCommand.Read("logs", client.Id), Cancellation);
        var report = await Scope.CleanupWithReportAsync(testFailed: false, Cancellation);

        exitCode.ShouldBe("0");
        output.Split('\n').ShouldBe(["written-by-server", "written-by-server"]);
        report.Removed.Select(r => r.Kind).ShouldBe([ResourceKind.Container, ResourceKind.Container, ResourceKind.Network, ResourceKind.Volume], ignoreOrder: true);
        (await IndependentCheck.ContainersNamedAsync(server.Name, Cancellation)).ShouldBeEmpty();
        (await IndependentCheck.ContainersNamedAsync(client.Name, Cancellation)).ShouldBeEmpty();
        (await IndependentCheck.NetworksNamedAsync(network, Cancellation)).ShouldBeEmpty();
        (await IndependentCheck.VolumesNamedAsync(volume, Cancellation)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_published_port_is_bound_to_loopback_on_a_random_host_port()
    {
        var volume = await Scope.CreateVolumeAsync(Cancellation);
        var server = await Scope.RunContainerAsync(
            ContainerSpec.Of("/bin/sh", "-c", "echo hello-from-container > /www/index.html && exec httpd -f -p 8080 -h /www") with
            {
                PublishedPorts = [8080],
                Volumes = new Dictionary<string, string> { [volume] = "/www" },
            },
            Cancellation);

        var port = await Scope.GetHostPortAsync(server.Id, 8080, Cancellation);
        var binding = await Docker.RunDockerAsync(DockerCommand.Read("port", server.Id, "8080/tcp"), Cancellation);
        var body = await GetWithRetryAsync(new Uri($"http://127.0.0.1:{port}/index.html"));

        port.ShouldBeInRange(1024, 65535);
        binding.ShouldStartWith("127.0.0.1:");
        body.Trim().ShouldBe("hello-from-container");
    }

    // httpd needs a moment after the container starts (until then docker's proxy may accept and hang,
    // seen under load); bounded, so a broken server fails the test.
    private static async Task<string> GetWithRetryAsync(Uri uri)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await http.GetStringAsync(uri, Cancellation);
            }
            catch (Exception failure) when (attempt < 50 && failure is HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
            {
                await Task.Delay(100, Cancellation);
            }
        }
    }
}
