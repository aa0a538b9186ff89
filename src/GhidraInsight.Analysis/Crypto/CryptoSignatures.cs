using System.Buffers.Binary;
using System.Text;

namespace GhidraInsight.Analysis.Crypto;

/// <summary>Every constant the scanner looks for, each table in both byte orders.</summary>
internal static class CryptoSignatures
{
    public static IReadOnlyList<CryptoSignature> All { get; } = Build();

    private static List<CryptoSignature> Build()
    {
        var list = new List<CryptoSignature>
        {
            new("AES", "S-box", CryptoTables.AesSbox[..32], null),
            new("AES", "inverse S-box", CryptoTables.AesInverseSbox[..32], null),
            new("ChaCha/Salsa20", "sigma \"expand 32-byte k\"", Encoding.ASCII.GetBytes("expand 32-byte k"), null),
            new("ChaCha/Salsa20", "tau \"expand 16-byte k\"", Encoding.ASCII.GetBytes("expand 16-byte k"), null),
            new("DES", "S1 box", CryptoTables.DesS1, null),
            new("DES", "P permutation", CryptoTables.DesP, null),
            new("DES", "PC1 table", CryptoTables.DesPc1, null),
            new("DES", "PC2 table", CryptoTables.DesPc2, null),
        };
        AddWords(list, "AES", "T-table Te0", CryptoTables.AesTe0[..4]);
        AddWords(list, "SHA-1", "initial values", CryptoTables.Sha1Init);
        AddWords(list, "SHA-256", "initial values", CryptoTables.Sha256Init);
        // 16 bytes, like binwalk: SIMD code stores the round constants in groups of four, each group repeated.
        AddWords(list, "SHA-256", "round constants K", CryptoTables.Sha256K[..4]);
        AddWords(list, "MD5", "T table", CryptoTables.Md5T[..4]);
        AddWords(list, "Blowfish", "P-array", CryptoTables.BlowfishP[..4]);
        AddWords(list, "DES", "SP1 table", CryptoTables.DesSp1);
        AddWords(list, "DES", "SP2 table", CryptoTables.DesSp2);
        // The CRC-32 table starts with a zero word: search from entry 1 and report the table start.
        AddWords(list, "CRC32", "lookup table", CryptoTables.Crc32Table[1..4], leadingZeros: 4);
        foreach (var bigEndian in new[] { false, true })
        {
            var bytes = new byte[2 * 8];
            for (var i = 0; i < 2; i++)
            {
                var slot = bytes.AsSpan(i * 8, 8);
                if (bigEndian)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(slot, CryptoTables.Sha512K[i]);
                }
                else
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(slot, CryptoTables.Sha512K[i]);
                }
            }
            list.Add(new("SHA-512", "round constants K", bytes, bigEndian ? "big" : "little"));
        }
        return list;
    }

    private static void AddWords(List<CryptoSignature> list, string algorithm, string constant, uint[] words, int leadingZeros = 0)
    {
        foreach (var bigEndian in new[] { false, true })
        {
            var bytes = new byte[words.Length * 4];
            for (var i = 0; i < words.Length; i++)
            {
                var slot = bytes.AsSpan(i * 4, 4);
                if (bigEndian)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(slot, words[i]);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(slot, words[i]);
                }
            }
            list.Add(new(algorithm, constant, bytes, bigEndian ? "big" : "little", leadingZeros));
        }
    }
}
