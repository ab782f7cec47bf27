using AgentsRunner.Docker.Tests.Telemetry;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class TimelineBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_test_is_a_row_with_its_containers_found_through_its_scope()
    {
        SpanRecord[] spans =
        [
            Span("test", "t1", null, 0, 10_000, tags: ("test.case.name", "first")),
            Span("scope", "s1", "t1", 100, 9_000),
            Span("container", "c1", "s1", 200, 5_000, tags: ("container.name", "web")),
            Span("container", "c2", "s1", 1_000, 7_000, tags: ("container.name", "db")),
            Span("docker run", "d1", "c1", 200, 300),
            Span("test", "t2", null, 2_000, 4_000, failed: true, tags: ("test.case.name", "second")),
            Span("scope", "s2", "t2", 2_100, 3_000),
            Span("container", "c3", "s2", 2_200, 1_000, failed: true, tags: ("container.name", "left")),
        ];

        var timeline = TimelineBuilder.Build(spans);

        timeline.Rows.Select(row => row.Label).ShouldBe(["first", "second"]);
        timeline.Rows[0].Bars.Select(bar => (bar.Label, bar.Lane)).ShouldBe([("web", 0), ("db", 1)]);
        timeline.Rows[1].Failed.ShouldBeTrue();
        timeline.Rows[1].Bars.ShouldHaveSingleItem().Failed.ShouldBeTrue();
        (timeline.Tests, timeline.FailedTests, timeline.Containers).ShouldBe((2, 1, 3));
        (timeline.End - timeline.Start).ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_scope_without_a_test_span_is_its_own_row_and_sessions_come_first()
    {
        SpanRecord[] spans =
        [
            Span("scope", "s1", null, 500, 1_000, tags: ("agents_runner.test", "plain scope")),
            Span("container", "c1", "s1", 600, 500),
            Span("session start", "x1", null, 0, 100, tags: ("agents_runner.session.id", "abc")),
            Span("session end", "x2", null, 2_000, 300, tags: ("agents_runner.session.id", "abc")),
        ];

        var timeline = TimelineBuilder.Build(spans);

        timeline.Rows.Select(row => (row.Kind, row.Label)).ShouldBe([(RowKind.Session, "session abc"), (RowKind.Test, "plain scope")]);
        timeline.Rows[0].Bars.Select(bar => bar.Label).ShouldBe(["session start", "session end"]);
        timeline.Rows[1].Bars.ShouldHaveSingleItem().Kind.ShouldBe(BarKind.Container);
    }

    [Fact]
    public void The_page_is_self_contained_and_names_every_test_and_failure()
    {
        SpanRecord[] spans =
        [
            Span("test", "t1", null, 0, 1_000, failed: true, tags: ("test.case.name", "A <failing> test")),
            Span("container", "c1", "t1", 100, 500, tags: ("container.name", "box")),
        ];

        var html = TimelineHtml.Render(TimelineBuilder.Build(spans), "run x");

        html.ShouldContain("<svg");
        html.ShouldContain("A &lt;failing&gt; test");
        html.ShouldContain("1 tests (1 failed), 1 containers");
        foreach (var fetch in new[] { "<script", "<link", "src=", "href=", "@import", "url(" })
        {
            html.ShouldNotContain(fetch, Case.Insensitive);
        }
    }

    [Fact]
    public void An_empty_run_makes_an_empty_timeline()
    {
        var timeline = TimelineBuilder.Build([]);

        timeline.Rows.ShouldBeEmpty();
        TimelineHtml.Render(timeline, "nothing").ShouldContain("0 tests");
    }

    private static SpanRecord Span(string name, string id, string? parent, int startMs, int durationMs, bool failed = false, params (string Key, string Value)[] tags) =>
        new(name, "trace", id, parent, T0.AddMilliseconds(startMs), durationMs, failed, tags.ToDictionary(tag => tag.Key, tag => tag.Value));
}
