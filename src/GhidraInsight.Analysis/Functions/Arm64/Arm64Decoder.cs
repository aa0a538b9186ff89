using System.Globalization;
using System.Runtime.InteropServices;
using GhidraInsight.Analysis.Formats;

namespace GhidraInsight.Analysis.Functions.Arm64;

/// <summary>What an AArch64 instruction does to the flow of control.</summary>
internal enum Arm64Flow
{
    Next,
    Call,
    IndirectCall,
    Jump,
    ConditionalJump,
    IndirectJump,
    Return,
    Trap,
}

/// <summary>One decoded AArch64 instruction.</summary>
internal readonly record struct Arm64Instruction(ulong Address, int Length, string Mnemonic, string Operands, Arm64Flow Flow, ulong? Target)
{
    public string Text => Operands.Length == 0 ? Mnemonic : $"{Mnemonic} {Operands}";
}

/// <summary>Decodes AArch64 instructions at virtual addresses of an image's executable regions (Capstone, the file pinned meanwhile).</summary>
internal sealed class Arm64Decoder : IDisposable
{
    private readonly Capstone _capstone;
    private readonly AddressMap _map;
    private readonly long _length;
    private GCHandle _pin;
    private readonly nint _base;

    private Arm64Decoder(Capstone capstone, ReadOnlyMemory<byte> data, AddressMap map)
    {
        _capstone = capstone;
        _map = map;
        if (!MemoryMarshal.TryGetArray(data, out var segment))
        {
            segment = new ArraySegment<byte>(data.ToArray());
        }
        _pin = GCHandle.Alloc(segment.Array!, GCHandleType.Pinned);
        _base = _pin.AddrOfPinnedObject() + segment.Offset;
        _length = segment.Count;
    }

    /// <summary>A decoder, or null with the reason (Capstone 4 missing).</summary>
    public static Arm64Decoder? Open(ReadOnlyMemory<byte> data, AddressMap map, out string? why) =>
        Capstone.OpenArm64(out why) is { } capstone ? new Arm64Decoder(capstone, data, map) : null;

    public bool IsCode(ulong address) => address % 4 == 0 && _map.RegionAt(address) is { Executable: true };

    /// <summary>One past the last address of the code region holding <paramref name="address"/> (the address itself when it is not code).</summary>
    public ulong CodeEnd(ulong address) =>
        _map.RegionAt(address) is { Executable: true } region ? region.Address + (ulong)region.FileSize : address;

    public bool TryDecode(ulong address, out Arm64Instruction instruction)
    {
        instruction = default;
        if (_map.RegionAt(address) is not { Executable: true } region)
        {
            return false;
        }

        var offset = region.Offset + (long)(address - region.Address);
        var end = Math.Min(region.Offset + region.FileSize, _length);
        if (offset < 0 || offset + 4 > end)
        {
            return false;
        }

        if (!_capstone.TryDecode(_base, (int)offset, (int)Math.Min(16, end - offset), address, out var length, out var mnemonic, out var operands))
        {
            return false;
        }

        var (flow, target) = Classify(mnemonic, operands);
        instruction = new Arm64Instruction(address, length, mnemonic, operands, flow, target);
        return true;
    }

    /// <summary>The flow of control from Capstone's text: branch targets are the last operand, as <c>#0x…</c>.</summary>
    internal static (Arm64Flow Flow, ulong? Target) Classify(string mnemonic, string operands)
    {
        var flow = mnemonic switch
        {
            "bl" => Arm64Flow.Call,
            "blr" or "blraa" or "blraaz" or "blrab" or "blrabz" => Arm64Flow.IndirectCall,
            "b" => Arm64Flow.Jump,
            "cbz" or "cbnz" or "tbz" or "tbnz" => Arm64Flow.ConditionalJump,
            _ when mnemonic.StartsWith("b.", StringComparison.Ordinal) => Arm64Flow.ConditionalJump,
            "br" or "braa" or "braaz" or "brab" or "brabz" => Arm64Flow.IndirectJump,
            "ret" or "retaa" or "retab" or "eret" or "eretaa" or "eretab" => Arm64Flow.Return,
            "brk" or "udf" or "hlt" => Arm64Flow.Trap,
            _ => Arm64Flow.Next,
        };
        if (flow is not (Arm64Flow.Call or Arm64Flow.Jump or Arm64Flow.ConditionalJump))
        {
            return (flow, null);
        }

        var hash = operands.LastIndexOf("#0x", StringComparison.Ordinal);
        return hash >= 0 && ulong.TryParse(operands.AsSpan(hash + 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var target)
            ? (flow, target)
            : (flow, null);
    }

    public void Dispose()
    {
        _capstone.Dispose();
        if (_pin.IsAllocated)
        {
            _pin.Free();
        }
    }
}
