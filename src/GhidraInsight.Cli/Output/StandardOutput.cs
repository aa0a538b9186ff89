using System.Text;

namespace GhidraInsight.Cli.Output;

/// <summary>
/// Large answers (an analysis's JSON is megabytes) written to standard output in a few large writes: <see cref="Console.Out"/>
/// flushes every 256 bytes, one system call each (36,000 of them for libcoreclr.so's analysis). A reader that goes away
/// (<c>| head</c>) ends the output quietly, as with <see cref="Console.Out"/>; one that cannot take it (a full disk) is a
/// <see cref="OutputFailedException"/>.
/// </summary>
internal static class StandardOutput
{
    public static Task WriteAsync(string text, CancellationToken cancellationToken = default) =>
        WriteAsync([Encoding.UTF8.GetBytes(text)], cancellationToken);

    /// <summary>Writes <paramref name="parts"/> (UTF-8) one after the other.</summary>
    public static async Task WriteAsync(IEnumerable<ReadOnlyMemory<byte>> parts, CancellationToken cancellationToken = default)
    {
        // Whatever went through Console.Out before comes first.
        await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        await using var stdout = Console.OpenStandardOutput();
        try
        {
            foreach (var part in parts)
            {
                await stdout.WriteAsync(part, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException exception)
        {
            throw new OutputFailedException($"cannot write the output: {exception.Message}", exception);
        }
    }
}

/// <summary>Standard output refused what was written to it (a full disk); the command's answer is incomplete.</summary>
internal sealed class OutputFailedException(string message, Exception inner) : Exception(message, inner);
