using AgentsRunner.Docker.Execution;
using AgentsRunner.Docker.Isolation;
using AgentsRunner.Docker.Tests.Fixtures;

namespace AgentsRunner.Docker.Tests.E2E;

[Collection(ExtraSessionsCollection.Name)]
public sealed class TestImageTests(DockerSessionFixture fixture) : DockerTest(fixture)
{
    [Fact]
    public async Task The_session_end_catches_a_test_image_retagged_during_the_run()
    {
        // A throwaway tag stands in for the pinned image, so the shared session's image is never touched.
        var tag = $"agents-runner-retag-check:{Scope.Id}";
        await Session.WaitUntilReadyAsync(Cancellation);
        await Docker.RunDockerAsync(["tag", Session.Image.Name, tag], cancellationToken: Cancellation);
        try
        {
            var second = await TestSession.StartAsync(Session.Options with { SessionId = null, Image = tag }, Cancellation);
            await second.WaitUntilReadyAsync(Cancellation);
            await Docker.ExecuteAsync(
                new DockerCommand(["build", "--quiet", "--tag", tag, "-"])
                {
                    // A label of its own: two runs at once must not build the very same image and share its id.
                    StandardInput = System.Text.Encoding.UTF8.GetBytes($"FROM {tag}\nLABEL agents-runner.changed-by={Scope.Id}\n"),
                    Environment = new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "0" },
                },
                Cancellation);

            var failure = await Should.ThrowAsync<SessionEndException>(() => second.EndAsync(Cancellation));

            failure.Problems.ShouldHaveSingleItem().ShouldContain($"the test image '{tag}' changed during the run");
        }
        finally
        {
            // An image removal waits for the engine's image store, which a concurrent run's containers and
            // builds keep busy: seen to take over 30 s with two suites on two cores.
            await Docker.RunDockerAsync(["rmi", tag], TimeSpan.FromMinutes(2), CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_pinned_image_has_a_fixed_version_tag_and_runs_busybox()
    {
        await Session.WaitUntilReadyAsync(Cancellation);
        var result = await Docker.ExecuteAsync(DockerCommand.AttachedRun(["run", "--rm", .. Scope.LabelArguments, Session.Image.Name, "busybox", "true"]), Cancellation);

        Session.Image.Name.ShouldNotEndWith(":latest");
        Session.Image.Name.ShouldContain(":");
        Session.Image.Id.ShouldStartWith("sha256:");
        result.ExitCode.ShouldBe(0);
    }
}
