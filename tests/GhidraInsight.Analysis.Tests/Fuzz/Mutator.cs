namespace GhidraInsight.Analysis.Tests.Fuzz;

/// <summary>Corruptions that hit parsers where they are weakest: header fields, counts, offsets and truncation.</summary>
internal static class Mutator
{
    private static readonly uint[] Interesting = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x1000, 0x10000];

    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        var edits = random.Next(1, 9);
        for (var e = 0; e < edits; e++)
        {
            // Headers and load commands live near the start: aim most edits at the first 4 KiB.
            var limit = random.Next(4) == 0 ? bytes.Length : Math.Min(bytes.Length, 4096);
            if (limit < 8)
            {
                break;
            }
            var at = random.Next(limit - 4);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    BitConverter.TryWriteBytes(bytes.AsSpan(at, 4), Interesting[random.Next(Interesting.Length)]);
                    break;
                case 3:
                    bytes.AsSpan(at, Math.Min(random.Next(1, 64), bytes.Length - at)).Fill((byte)random.Next(256));
                    break;
                default:
                    var from = random.Next(limit - 4);
                    var count = Math.Min(random.Next(1, 32), Math.Min(bytes.Length - at, bytes.Length - from));
                    bytes.AsSpan(from, count).CopyTo(bytes.AsSpan(at, count));
                    break;
            }
        }
        if (random.Next(6) == 0)
        {
            Array.Resize(ref bytes, random.Next(bytes.Length));
        }
        return bytes;
    }
}
