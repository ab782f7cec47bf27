using AgentsRunner.Docker.Inspect;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerTimeConverterTests
{
    [Fact]
    public void ParseTime_NanosecondRfc3339_KeepsTheFirstSevenFractionDigits()
    {
        // Act
        var time = DockerTimeConverter.Parse("2026-11-28T19:57:00.123456789Z");

        // Assert
        time.ShouldBe(new DateTimeOffset(2026, 11, 28, 19, 57, 0, TimeSpan.Zero).AddTicks(1_234_567));
    }

    [Fact]
    public void ParseTime_WithOffset_KeepsTheInstant()
    {
        // Act
        var time = DockerTimeConverter.Parse("2026-11-28T21:57:00.5+02:00");

        // Assert
        time.ShouldNotBeNull();
        time.Value.UtcDateTime.ShouldBe(new DateTime(2026, 11, 28, 19, 57, 0, 500, DateTimeKind.Utc));
    }

    [Fact]
    public void ParseTime_WithoutFraction_Parses()
    {
        // Act
        var time = DockerTimeConverter.Parse("2026-11-28T19:57:00Z");

        // Assert
        time.ShouldBe(new DateTimeOffset(2026, 11, 28, 19, 57, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("")]
    [InlineData(null)]
    public void ParseTime_ZeroOrMissingTime_IsNull(string? text)
    {
        // Act
        var time = DockerTimeConverter.Parse(text);

        // Assert
        time.ShouldBeNull();
    }
}
