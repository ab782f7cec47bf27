namespace AgentsRunner.Docker.Errors;

/// <summary>
/// A creating command failed ambiguously (it may or may not have reached the engine), and what
/// the engine now holds under that name cannot be proven to be the failed attempt's work.
/// </summary>
internal sealed class DockerAmbiguousCreateException : DockerException
{
    internal DockerAmbiguousCreateException(IReadOnlyList<string> arguments, string name, string reason, Exception? innerException)
        : base(
            $"'{Describe(arguments)}' failed ambiguously, and the {reason}; it was not adopted, so that nothing is created twice or taken from someone else.",
            $"Inspect '{name}' by hand; give creating commands a unique name and a unique label so that a retry can recognise its own object.",
            arguments,
            exitCode: null,
            standardError: (innerException as DockerException)?.StandardError ?? string.Empty,
            innerException)
    {
        Name = name;
    }

    /// <summary>The name the command gave the object.</summary>
    public string Name { get; }

    /// <inheritdoc />
    internal override DockerErrorKind Kind => DockerErrorKind.AmbiguousCreate;
}
