using System.Globalization;
using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Tests.Unit;

public sealed class DockerTimeoutExceptionTests
{
    [Fact]
    public void Message_UnderACommaDecimalCulture_WritesTheLimitWithAPoint()
    {
        // Arrange
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        DockerTimeoutException failure;
        try
        {
            // Act
            failure = new DockerTimeoutException(["ps"], TimeSpan.FromMilliseconds(1500), string.Empty);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        // Assert
        failure.Message.ShouldStartWith("'docker ps' did not finish within 1.5 s and was killed.");
    }
}
