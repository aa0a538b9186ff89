namespace GhidraInsight.Storage;

/// <summary>
/// One recorded action: a strong write, a deletion, a switchover or another admin call, with who made it (the API key's name,
/// never the key) and how it ended. Kept in the region's store and replicated like the data, so every region can show the trail.
/// </summary>
/// <param name="Id">Unique across regions and ordered by time, within a region in the order made (a version 7 UUID in text form).</param>
/// <param name="At">When the action was answered.</param>
/// <param name="Region">The region that carried it out.</param>
/// <param name="KeyName">The name of the API key that made the call (<c>anonymous</c> without keys).</param>
/// <param name="Action">What was done: method and route, like <c>PUT /api/analyses/{id}/annotations/{address}</c>.</param>
/// <param name="Target">What it was done to: the request's path, or what the endpoint names (<c>to eu-west-1</c>).</param>
/// <param name="Result">The HTTP status it was answered with.</param>
public sealed record AuditEntry(string Id, DateTimeOffset At, string Region, string KeyName, string Action, string Target, int Result)
{
    /// <summary>The key name of what the service did on its own (a failover, a switchover by configuration).</summary>
    public const string SystemKey = "(system)";

    private static readonly Lock IdGate = new();
    private static long _lastMs = -1;
    private static int _counter;

    /// <summary>A new entry with a fresh id drawn from <paramref name="at"/>, later than every id this process made before.</summary>
    public static AuditEntry Create(DateTimeOffset at, string region, string keyName, string action, string target, int result) =>
        new(NextId(at), at, region, keyName, action, target, result);

    /// <summary>
    /// A version 7 UUID for <paramref name="at"/> that sorts after every one this process made before: within one millisecond
    /// a 12-bit counter follows the time (RFC 9562's method 1), so entries made in order list in order.
    /// </summary>
    private static string NextId(DateTimeOffset at)
    {
        long ms;
        int counter;
        lock (IdGate)
        {
            ms = Math.Max(at.ToUnixTimeMilliseconds(), _lastMs);
            if (ms == _lastMs)
            {
                if (++_counter > 0xFFF)
                {
                    (ms, _counter) = (ms + 1, 0);
                }
            }
            else
            {
                _counter = 0;
            }
            (_lastMs, counter) = (ms, _counter);
        }
        Span<byte> rest = stackalloc byte[10];
        rest[0] = (byte)(counter >> 8);
        rest[1] = (byte)counter;
        System.Security.Cryptography.RandomNumberGenerator.Fill(rest[2..]);
        return Version7(ms, rest);
    }

    /// <summary>
    /// A version 7 UUID whose time is <paramref name="at"/> and whose other bits come from <paramref name="seed"/>: the same event
    /// recorded twice (a replay, a restart) gets the same id, and the trail keeps it once.
    /// </summary>
    public static string IdFor(DateTimeOffset at, string seed) =>
        Version7(at.ToUnixTimeMilliseconds(), System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)).AsSpan(0, 10));

    /// <summary>The UUID text of the 48-bit time <paramref name="ms"/> and the 10 bytes after it, version and variant bits set.</summary>
    private static string Version7(long ms, ReadOnlySpan<byte> rest)
    {
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }
        rest.CopyTo(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
