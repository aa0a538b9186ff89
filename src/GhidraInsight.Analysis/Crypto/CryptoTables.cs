using System.Numerics;

namespace GhidraInsight.Analysis.Crypto;

/// <summary>
/// The constants themselves, derived from their definitions where that is short (so no hand-typed table
/// can hide a typo), and spelled out where the definition is a standard's table.
/// </summary>
internal static class CryptoTables
{
    public static byte[] AesSbox { get; } = BuildAesSbox();

    public static byte[] AesInverseSbox { get; } = Invert(AesSbox);

    /// <summary>OpenSSL-style Te0: for each S-box value s the word (2s, s, s, 3s), most significant byte first.</summary>
    public static uint[] AesTe0 { get; } = [.. AesSbox.Select(s => (uint)(XTime(s) << 24 | s << 16 | s << 8 | (XTime(s) ^ s)))];

    /// <summary>SHA-1 initial hash value (FIPS 180-4 §5.3.1).</summary>
    public static uint[] Sha1Init { get; } = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];

    /// <summary>SHA-256 initial values: first 32 bits of the fractional parts of the square roots of the first 8 primes.</summary>
    public static uint[] Sha256Init { get; } = [.. Primes(8).Select(p => (uint)FractionBits(p, root: 2, bits: 32))];

    /// <summary>SHA-256 round constants: first 32 bits of the fractional parts of the cube roots of the first 64 primes.</summary>
    public static uint[] Sha256K { get; } = [.. Primes(64).Select(p => (uint)FractionBits(p, root: 3, bits: 32))];

    /// <summary>SHA-512 round constants: first 64 bits of the fractional parts of the cube roots of the first 80 primes.</summary>
    public static ulong[] Sha512K { get; } = [.. Primes(80).Select(p => FractionBits(p, root: 3, bits: 64))];

    /// <summary>MD5 T[1..8] = floor(2^32·|sin(i)|) (RFC 1321 §3.4), spelled out to avoid depending on libm rounding.</summary>
    public static uint[] Md5T { get; } = [0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501];

    /// <summary>Reflected CRC-32 table for polynomial 0xEDB88320 (zlib, PNG, Ethernet).</summary>
    public static uint[] Crc32Table { get; } = BuildCrc32();

    /// <summary>Blowfish initial P-array: the hexadecimal digits of π.</summary>
    public static uint[] BlowfishP { get; } =
        [0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344, 0xA4093822, 0x299F31D0, 0x082EFA98, 0xEC4E6C89];

    /// <summary>DES S1 (FIPS 46-3), first two rows.</summary>
    public static byte[] DesS1 { get; } = [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8];

    /// <summary>DES permutation P (FIPS 46-3).</summary>
    public static byte[] DesP { get; } = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];

    /// <summary>DES permuted choice 1, zero-based as most implementations store it.</summary>
    public static byte[] DesPc1 { get; } = [.. new byte[] { 57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36, 63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4 }.Select(b => (byte)(b - 1))];

    /// <summary>DES permuted choice 2, zero-based.</summary>
    public static byte[] DesPc2 { get; } = [.. new byte[] { 14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32 }.Select(b => (byte)(b - 1))];

    /// <summary>First words of the combined S-box/permutation tables SP1 and SP2 used by table-driven DES (libdes, PolarSSL).</summary>
    public static uint[] DesSp1 { get; } = [0x01010400, 0x00000000, 0x00010000, 0x01010404, 0x01010004, 0x00010404, 0x00000004, 0x00010000];

    public static uint[] DesSp2 { get; } = [0x80108020, 0x80008000, 0x00008000, 0x00108020, 0x00100000, 0x00000020, 0x80100020, 0x80008020];

    private static byte XTime(byte b) => (byte)((b << 1) ^ ((b & 0x80) != 0 ? 0x1B : 0));

    private static byte Multiply(byte a, byte b)
    {
        byte product = 0;
        for (; b != 0; b >>= 1, a = XTime(a))
        {
            if ((b & 1) != 0)
            {
                product ^= a;
            }
        }
        return product;
    }

    private static byte[] BuildAesSbox()
    {
        var sbox = new byte[256];
        for (var x = 0; x < 256; x++)
        {
            // Multiplicative inverse in GF(2^8) (0 maps to 0), then the affine transform of FIPS 197 §5.1.1.
            byte inverse = 0;
            for (var y = 1; y < 256 && x != 0; y++)
            {
                if (Multiply((byte)x, (byte)y) == 1)
                {
                    inverse = (byte)y;
                    break;
                }
            }
            var s = inverse;
            var result = (byte)(s ^ byte.RotateLeft(s, 1) ^ byte.RotateLeft(s, 2) ^ byte.RotateLeft(s, 3) ^ byte.RotateLeft(s, 4) ^ 0x63);
            sbox[x] = result;
        }
        return sbox;
    }

    private static byte[] Invert(byte[] table)
    {
        var inverse = new byte[table.Length];
        for (var i = 0; i < table.Length; i++)
        {
            inverse[table[i]] = (byte)i;
        }
        return inverse;
    }

    private static uint[] BuildCrc32()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }

    private static IEnumerable<int> Primes(int count)
    {
        var found = 0;
        for (var n = 2; found < count; n++)
        {
            if (Enumerable.Range(2, Math.Max(0, (int)Math.Sqrt(n) - 1)).All(d => n % d != 0))
            {
                found++;
                yield return n;
            }
        }
    }

    /// <summary>The first <paramref name="bits"/> bits of the fractional part of p^(1/root), exactly (integer root of p·2^(root·bits)).</summary>
    private static ulong FractionBits(int p, int root, int bits)
    {
        var scaled = new BigInteger(p) << (root * bits);
        var r = IntegerRoot(scaled, root);
        return (ulong)(r & ((BigInteger.One << bits) - 1));
    }

    private static BigInteger IntegerRoot(BigInteger n, int k)
    {
        // Newton's method from above converges to floor(n^(1/k)).
        var x = BigInteger.One << (int)((n.GetBitLength() + k - 1) / k + 1);
        while (true)
        {
            var next = ((k - 1) * x + n / BigInteger.Pow(x, k - 1)) / k;
            if (next >= x)
            {
                return x;
            }
            x = next;
        }
    }
}
