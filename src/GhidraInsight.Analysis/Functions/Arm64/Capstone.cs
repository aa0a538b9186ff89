using System.Reflection;
using System.Runtime.InteropServices;

namespace GhidraInsight.Analysis.Functions.Arm64;

/// <summary>
/// The AArch64 decoder of Capstone 4 (Debian's <c>libcapstone4</c>), loaded at run time: x86 needs nothing of it, and AArch64
/// analysis says what is missing when it is absent. Instructions are decoded one at a time without Capstone's detail mode;
/// the text it prints (<c>bl #0x1010</c>) gives the branch targets. Not thread-safe: one per analysis.
/// </summary>
internal sealed class Capstone : IDisposable
{
    private const string Library = "capstone";
    private const int ArchArm64 = 1;
    private const int ModeLittleEndian = 0;

    // cs_insn in Capstone 4: id (4), address (8, at 8), size (2, at 16), bytes[16] (at 18), mnemonic[32] (at 34), op_str[160] (at 66).
    private const int SizeOffset = 16;
    private const int MnemonicOffset = 34;
    private const int OperandsOffset = 66;

    private static readonly Lazy<string?> Missing = new(Load);
    private static nint _handle;

    private nuint _engine;
    private readonly nint _instruction;

    private Capstone(nuint engine)
    {
        _engine = engine;
        _instruction = cs_malloc(engine);
    }

    /// <summary>An AArch64 decoder, or null with the reason when Capstone 4 cannot be loaded here.</summary>
    public static Capstone? OpenArm64(out string? why)
    {
        why = Missing.Value;
        if (why is not null)
        {
            return null;
        }

        if (cs_open(ArchArm64, ModeLittleEndian, out var engine) != 0)
        {
            why = "Capstone could not open its AArch64 decoder";
            return null;
        }

        return new Capstone(engine);
    }

    /// <summary>
    /// Decodes the instruction at <paramref name="offset"/> of <paramref name="code"/> (pinned by the caller), at virtual address
    /// <paramref name="address"/>; false when the bytes are not a valid instruction.
    /// </summary>
    public bool TryDecode(nint code, int offset, int available, ulong address, out int length, out string mnemonic, out string operands)
    {
        var at = code + offset;
        var size = (nuint)available;
        var ip = address;
        if (available <= 0 || !cs_disasm_iter(_engine, ref at, ref size, ref ip, _instruction))
        {
            (length, mnemonic, operands) = (0, "", "");
            return false;
        }

        length = (ushort)Marshal.ReadInt16(_instruction, SizeOffset);
        mnemonic = Marshal.PtrToStringUTF8(_instruction + MnemonicOffset) ?? "";
        operands = Marshal.PtrToStringUTF8(_instruction + OperandsOffset) ?? "";
        return true;
    }

    public void Dispose()
    {
        if (_engine != 0)
        {
            cs_free(_instruction, 1);
            cs_close(ref _engine);
            _engine = 0;
        }
    }

    /// <summary>Loads Capstone 4 once for the process; the reason it is missing, or null.</summary>
    private static string? Load()
    {
        string[] names = OperatingSystem.IsMacOS() ? ["libcapstone.4.dylib", "libcapstone.dylib"] : ["libcapstone.so.4", "libcapstone.so"];
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                // The instruction layout read above is Capstone 4's; 5 changed it.
                if (!NativeLibrary.TryGetExport(handle, "cs_version", out _))
                {
                    continue;
                }

                _handle = handle;
                NativeLibrary.SetDllImportResolver(typeof(Capstone).Assembly, Resolve);
                var version = cs_version(0, 0);
                if (version >> 8 != 4)
                {
                    return $"AArch64 code needs Capstone 4 (libcapstone4); {name} is version {version >> 8}.{version & 0xFF}";
                }

                return null;
            }
        }

        return "AArch64 code is not disassembled: Capstone 4 is missing (apt-get install libcapstone4)";
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name == Library ? _handle : 0;

#pragma warning disable SYSLIB1054 // DllImport keeps the project free of unsafe code; these run once per instruction at most.
    [DllImport(Library)]
    private static extern int cs_version(nint major, nint minor);

    [DllImport(Library)]
    private static extern int cs_open(int arch, int mode, out nuint handle);

    [DllImport(Library)]
    private static extern int cs_close(ref nuint handle);

    [DllImport(Library)]
    private static extern nint cs_malloc(nuint handle);

    [DllImport(Library)]
    private static extern void cs_free(nint instructions, nuint count);

    [DllImport(Library)]
    [return: MarshalAs(UnmanagedType.I1)]
    private static extern bool cs_disasm_iter(nuint handle, ref nint code, ref nuint size, ref ulong address, nint instruction);
#pragma warning restore SYSLIB1054
}
