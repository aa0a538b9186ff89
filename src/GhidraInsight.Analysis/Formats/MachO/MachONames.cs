using System.Text;

namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>Human-readable names for Mach-O header and section fields.</summary>
internal static class MachONames
{
    public static string Arch(uint cpuType) => cpuType switch
    {
        MachOConstants.CpuTypeX86 => "x86",
        MachOConstants.CpuTypeX8664 => "x86_64",
        MachOConstants.CpuTypeArm => "arm",
        MachOConstants.CpuTypeArm64 => "arm64",
        MachOConstants.CpuTypeArm6432 => "arm64_32",
        MachOConstants.CpuTypePowerPc => "ppc",
        MachOConstants.CpuTypePowerPc64 => "ppc64",
        _ => "unknown",
    };

    public static string FileType(uint fileType) => fileType switch
    {
        0x1 => "object",
        0x2 => "executable",
        0x3 => "fvmlib",
        0x4 => "core",
        0x5 => "preload",
        0x6 => "dylib",
        0x7 => "dylinker",
        0x8 => "bundle",
        0x9 => "dylib_stub",
        0xa => "dsym",
        0xb => "kext",
        0xc => "fileset",
        _ => $"unknown(0x{fileType:x})",
    };

    public static string SectionType(uint flags) => (flags & MachOConstants.SectionTypeMask) switch
    {
        0x00 => "regular",
        0x01 => "zerofill",
        0x02 => "cstring_literals",
        0x03 => "4byte_literals",
        0x04 => "8byte_literals",
        0x05 => "literal_pointers",
        0x06 => "non_lazy_symbol_pointers",
        0x07 => "lazy_symbol_pointers",
        0x08 => "symbol_stubs",
        0x09 => "mod_init_func_pointers",
        0x0a => "mod_term_func_pointers",
        0x0b => "coalesced",
        0x0c => "gb_zerofill",
        0x0d => "interposing",
        0x0e => "16byte_literals",
        0x0f => "dtrace_dof",
        0x10 => "lazy_dylib_symbol_pointers",
        0x11 => "thread_local_regular",
        0x12 => "thread_local_zerofill",
        0x13 => "thread_local_variables",
        0x14 => "thread_local_variable_pointers",
        0x15 => "thread_local_init_function_pointers",
        0x16 => "init_func_offsets",
        var other => $"unknown(0x{other:x})",
    };

    public static bool IsZeroFill(uint flags) => (flags & MachOConstants.SectionTypeMask) is
        MachOConstants.SZeroFill or MachOConstants.SGbZeroFill or MachOConstants.SThreadLocalZeroFill;

    public static bool HasInstructions(uint flags) =>
        (flags & (MachOConstants.SAttrPureInstructions | MachOConstants.SAttrSomeInstructions)) != 0;

    /// <summary><c>rwx</c> letters from a VM protection, <c>-</c> for absent ones.</summary>
    public static string Permissions(uint protection) => string.Create(3, protection, static (chars, p) =>
    {
        chars[0] = (p & MachOConstants.VmProtRead) != 0 ? 'r' : '-';
        chars[1] = (p & MachOConstants.VmProtWrite) != 0 ? 'w' : '-';
        chars[2] = (p & MachOConstants.VmProtExecute) != 0 ? 'x' : '-';
    });

    /// <summary>A fixed-size, NUL-padded name field (segname, sectname).</summary>
    public static string FixedName(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? field[..end] : field);
    }
}
