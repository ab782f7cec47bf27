namespace AgentsRunner.Docker.Execution;

/// <summary>The engine's full object ids, as it prints them and names them in its events.</summary>
internal static class EngineId
{
    /// <summary>Whether <paramref name="text"/> is a full id: 64 lowercase hex digits (not a name, nor a short id).</summary>
    public static bool IsFull(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}
