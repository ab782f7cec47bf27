using AgentsRunner.Docker.Errors;

namespace AgentsRunner.Docker.Xunit;

/// <summary>
/// The skip-or-fail rule when no Docker engine answers: a developer's run skips the tests that need
/// one; a CI run (<c>CI=true</c>) or one that asks for an engine (<c>AGENTS_RUNNER_REQUIRE_ENGINE=1</c>)
/// fails them, so a broken engine never passes as a green build.
/// </summary>
internal static class EngineRequirement
{
    /// <summary>The variable that makes a missing engine a failure outside CI too.</summary>
    public const string RequireVariable = "AGENTS_RUNNER_REQUIRE_ENGINE";

    /// <summary>Whether a missing engine must fail the tests, by the variables <paramref name="variable"/> reads.</summary>
    public static bool IsRequired(Func<string, string?> variable) =>
        EnvironmentSettings.IsOn(variable("CI")) || EnvironmentSettings.IsOn(variable(RequireVariable));

    /// <summary>
    /// Why the tests skip, or null when they must fail: the failure is not a missing engine, or an
    /// engine is required.
    /// </summary>
    public static string? SkipReason(Exception failure, Func<string, string?> variable)
    {
        var missing = failure is DockerExecutableNotFoundException or DockerDaemonUnavailableException;
        if (!missing || IsRequired(variable))
        {
            return null;
        }

        return $"No Docker engine answers ({WhatHappened(failure)}). "
            + "Start one and check that `docker info` succeeds (DOCKER_HOST or DOCKER_CONTEXT choose another engine; "
            + $"{DockerCliOptions.ExecutableVariable} another docker-compatible CLI). "
            + $"These tests skip without an engine; with CI=true or {RequireVariable}=1 they fail instead.";
    }

    // The library's hint is about the one failed command; a test run gets the advice above, which says how its tests behave.
    private static string WhatHappened(Exception failure) =>
        failure is DockerException { Hint.Length: > 0 } docker && docker.Message.EndsWith(docker.Hint, StringComparison.Ordinal)
            ? docker.Message[..^docker.Hint.Length].TrimEnd(' ', '.')
            : failure.Message.TrimEnd('.');
}
