using System.Security.Cryptography;
using System.Text;

namespace AgentsRunner.Docker.Isolation;

/// <summary>
/// Makes names for test resources: <c>agents-runner-test-&lt;test name&gt;-&lt;random&gt;</c>, using only
/// characters Docker accepts (<c>[a-zA-Z0-9][a-zA-Z0-9_.-]</c>), at most 63 characters, with
/// 60 random bits so that parallel tests and concurrent runs never collide.
/// </summary>
internal static class ResourceNamer
{
    /// <summary>The longest name made (a DNS label, so the name also works as a host name on a network).</summary>
    public const int MaxLength = 63;

    /// <summary>Every name starts with this.</summary>
    public const string Prefix = "agents-runner-test-";

    private const int RandomLength = 12;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv";

    /// <summary>A fresh name for a resource of the test called <paramref name="testName"/>.</summary>
    /// <param name="testName">The test's name, as the framework gives it (any characters, any length).</param>
    public static string NameFor(string testName)
    {
        ArgumentNullException.ThrowIfNull(testName);
        var budget = MaxLength - Prefix.Length - 1 - RandomLength;
        var slug = Slug(testName, budget);
        return slug.Length == 0
            ? $"{Prefix}{RandomPart()}"
            : $"{Prefix}{slug}-{RandomPart()}";
    }

    /// <summary>Lower-case letters, digits and single dashes; the end of the name is kept, as it is the most specific part.</summary>
    internal static string Slug(string text, int maxLength)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        if (slug.Length > maxLength)
        {
            slug = slug[^maxLength..].Trim('-');
        }

        return slug;
    }

    private static string RandomPart()
    {
        Span<char> chars = stackalloc char[RandomLength];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }
}
