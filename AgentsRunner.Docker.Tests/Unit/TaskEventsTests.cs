using AgentsRunner.Docker.Events;
using AgentsRunner.Docker.Tasks;

namespace AgentsRunner.Docker.Tests.Unit;

/// <summary><see cref="TaskEvents"/> on a session's event stream that a fake docker feeds.</summary>
public sealed class TaskEventsTests
{
    private const string Id = "9af6a0a6a3e75986a8697dbac2438e519c0f5c441b10a26997e1554a80d20de2";
    private const string OtherId = "fcf927f422c62d88f0ddf0edf52d503328e8808f561cec164603d0171cd36038";

    [Fact]
    public async Task A_task_containers_events_give_its_states_in_order_and_the_exit_code_of_its_die_event()
    {
        // Arrange: its create names it; the rest name its id only; another container's events come between.
        using var fake = FakeDocker.Create().Prints(
            string.Concat(
                Line("create", Id, "task-1"),
                Line("start", OtherId, "someone-else"),
                Line("start", Id, null),
                Line("die", OtherId, "someone-else", exitCode: 9),
                Line("die", Id, null, exitCode: 3),
                Line("destroy", Id, null)),
            "events",
            times: 1);
        await using var stream = new DockerEventStream(new DockerCli(fake.Options));
        using var task = new TaskEvents(stream, "task-1");
        task.Identify(Id);

        // Act
        stream.Start(DateTimeOffset.UtcNow);
        await WaitUntilAsync(() => task.Seen(TaskState.Removed));

        // Assert
        task.States.ShouldBe([TaskState.Created, TaskState.Running, TaskState.Exited, TaskState.Removed]);
        task.ExitCode.ShouldBe(3);
    }

    private static string Line(string action, string id, string? name, int? exitCode = null)
    {
        var attributes = new List<string>();
        if (name is not null)
        {
            attributes.Add($"\"name\":\"{name}\"");
        }

        if (exitCode is { } code)
        {
            attributes.Add($"\"exitCode\":\"{code}\"");
        }

        return $"{{\"Type\":\"container\",\"Action\":\"{action}\",\"Actor\":{{\"ID\":\"{id}\",\"Attributes\":{{{string.Join(',', attributes)}}}}},\"timeNano\":1764470000123456789}}\n";
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }
}
