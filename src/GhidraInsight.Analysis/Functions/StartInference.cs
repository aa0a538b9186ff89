using GhidraInsight.Analysis.Formats;
using Iced.Intel;

namespace GhidraInsight.Analysis.Functions;

/// <summary>
/// Function starts the file does not state (no symbol, no unwind entry), inferred once every stated start and every call
/// target has been followed:
/// <list type="bullet">
/// <item><c>pointer</c>: an address the file holds as a pointer into code (a relocation's target, an aligned pointer in a data
/// section: vtables, callback tables, <c>.init_array</c>, PE exports' neighbours), or that code takes as data (<c>lea</c> of a
/// code address, an immediate operand);</item>
/// <item><c>gap</c>: the first instruction after padding in code nothing reached. In a file with unwind information (which
/// names every function but leaf functions in PE files) any such start; in one without, only at a 16-byte boundary (where
/// compilers put functions), and starting like a function (<c>endbr</c>, <c>push</c>, <c>sub rsp</c>) or, when it does not,
/// running at least nine instructions: over the corpus every other shape was mostly blocks of functions reached only through
/// jump tables.</item>
/// </list>
/// A candidate counts only when a walk from it looks like a function: every instruction decodes, none overlaps code another
/// function already holds (a <c>switch</c> case label jumps back into its function; data decodes into garbage sooner or later),
/// and, in a gap, it stays inside the gap.
/// </summary>
internal sealed class StartInference(CodeDecoder decoder, FunctionWalker walker, CodeAddressSet isStart, CodeAddressSet claimed, CodeAddressSet claimedStarts, CodeAddressSet jumpedTo, AddressMap map,
    ReadOnlyMemory<byte> data, bool absoluteAddresses, CancellationToken cancellationToken)
{
    /// <summary>Candidates are tried in address order; each one accepted is followed (its calls too) before the next is tried.</summary>
    public IEnumerable<(ulong Address, string Source, FunctionWalk Walk, double Confidence)> Infer(BinaryImage image, List<ulong> references, Func<bool> roomLeft)
    {
        var unwindInformation = !walker.WithoutUnwindInformation;
        var pointers = new SortedSet<ulong>(image.CodePointers.Where(decoder.IsCode));
        if (absoluteAddresses)
        {
            foreach (var pointer in PointersInData())
            {
                pointers.Add(pointer);
            }
        }
        // References grow as accepted candidates are followed: take them in rounds until none is new.
        var taken = 0;
        var tried = new HashSet<ulong>();
        while (true)
        {
            for (; taken < references.Count; taken++)
            {
                if (decoder.IsCode(references[taken]))
                {
                    pointers.Add(references[taken]);
                }
            }
            var round = pointers.Where(tried.Add).ToList();
            if (round.Count == 0)
            {
                break;
            }
            foreach (var candidate in round)
            {
                if (!roomLeft())
                {
                    yield break;
                }
                cancellationToken.ThrowIfCancellationRequested();
                if (isStart.Contains(candidate))
                {
                    continue;
                }
                // A pointer to an instruction another walk reached is a function that walk took in through a jump (a tail call
                // to a start nobody knew yet): it is followed on its own, and that walk is redone with it known.
                var absorbed = claimedStarts.Contains(candidate) && jumpedTo.Contains(candidate);
                if (!absorbed && claimed.Contains(candidate))
                {
                    continue;
                }
                var walk = walker.Walk(candidate);
                if (absorbed ? !walk.Invalid : LooksLikeAFunction(walk, candidate, null))
                {
                    yield return (candidate, "pointer", walk, FunctionConfidence.Of("pointer"));
                }
            }
        }

        foreach (var region in map.Regions.Where(r => r.Executable).OrderBy(r => r.Address))
        {
            var end = region.Address + (ulong)region.FileSize;
            var position = region.Address;
            (ulong Start, ulong End)? gap = null;
            // Where a function can begin in a gap: where the gap begins, and after padding. Not after a failed try's
            // instructions: those are most often blocks of a function reached only through a jump table.
            var boundary = true;
            // Whether padding comes right before the position (not code another function holds, nor a failed try).
            var afterPadding = false;
            var steps = 0;
            while (position < end)
            {
                if ((++steps & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                if (claimed.Contains(position) || isStart.Contains(position))
                {
                    // Over the code other functions hold, a word of the bitmap at a time.
                    position = Math.Max(position + 1, claimed.NextAbsent(position, end));
                    gap = null;
                    boundary = true;
                    afterPadding = false;
                    continue;
                }
                if (!decoder.TryDecode(position, out var instruction))
                {
                    position++;
                    boundary = false;
                    continue;
                }
                if (Padding.Is(instruction))
                {
                    position += (ulong)instruction.Length;
                    boundary = true;
                    afterPadding = true;
                    continue;
                }
                if (!boundary)
                {
                    position += (ulong)instruction.Length;
                    afterPadding = false;
                    continue;
                }
                gap ??= (position, claimed.NextPresent(position, end));
                if (!roomLeft())
                {
                    yield break;
                }
                var walk = walker.Walk(position);
                if (LooksLikeAFunction(walk, position, gap) && GapConfidence(position, instruction, afterPadding, walk, unwindInformation) is { } confidence)
                {
                    yield return (position, "gap", walk, confidence);
                    gap = null;
                    continue;
                }
                boundary = false;
                position += (ulong)instruction.Length;
            }
        }
    }

    /// <summary>
    /// How often a start of this shape was a real one over the function corpus without unwind information (aligned after padding
    /// with a prologue 3,162 of 3,166; aligned with a prologue 158 of 186; aligned after padding without one, nine instructions or
    /// more, 180 of 313); null for the shapes that were mostly not (unaligned ones, short ones without a prologue: 150 of 1,500).
    /// With unwind information the gaps hold leaf functions: <see cref="WithUnwindInformation"/>.
    /// </summary>
    private static double? GapConfidence(ulong start, in Instruction first, bool afterPadding, FunctionWalk walk, bool unwindInformation)
    {
        if (unwindInformation)
        {
            return WithUnwindInformation;
        }
        if (start % 16 != 0)
        {
            return null;
        }
        return (StartsLikeAFunction(first) || StartsLikeAnMsvcOrGoFunction(first), afterPadding) switch
        {
            (true, true) => 0.99,
            (true, false) => 0.85,
            (false, true) when walk.Instructions.Count >= 9 => 0.6,
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="first"/> is how most compiled functions begin: <c>endbr</c>, <c>push</c>, <c>sub rsp</c>.</summary>
    internal static bool StartsLikeAFunction(in Instruction first) =>
        first.Mnemonic is Mnemonic.Endbr64 or Mnemonic.Endbr32 or Mnemonic.Push
        || (first.Mnemonic == Mnemonic.Sub && first.Op0Register is Register.RSP or Register.ESP);

    /// <summary>
    /// Whether <paramref name="first"/> is how MSVC or Go begin a function: MSVC's x64 saves into the caller's home space
    /// (<c>mov [rsp+8..0x20], reg</c>, or <c>mov rax, rsp</c> / <c>mov r11, rsp</c> first) and its hot-patchable 32-bit
    /// <c>mov edi, edi</c>; Go's stack check (<c>cmp rsp, [r14+0x10]</c>, or <c>lea r12, [rsp-n]</c> before it). Taken for gap
    /// starts only: as jump targets inside gcc and clang code these shapes were mostly not functions (39 of 39 wrong).
    /// </summary>
    internal static bool StartsLikeAnMsvcOrGoFunction(in Instruction first) =>
        (first.Mnemonic == Mnemonic.Mov && first.Op0Kind == OpKind.Memory && first.MemoryBase == Register.RSP && first.MemoryIndex == Register.None
            && first.MemoryDisplacement64 is 8 or 0x10 or 0x18 or 0x20 && first.Op1Kind == OpKind.Register)
        || (first.Mnemonic == Mnemonic.Mov && first.Op0Register is Register.RAX or Register.R11 && first.Op1Kind == OpKind.Register && first.Op1Register == Register.RSP)
        || (first.Mnemonic == Mnemonic.Mov && first.Op0Register == Register.EDI && first.Op1Kind == OpKind.Register && first.Op1Register == Register.EDI)
        || (first.Mnemonic == Mnemonic.Cmp && first.Op0Register == Register.RSP && first.Op1Kind == OpKind.Memory && first.MemoryBase == Register.R14
            && first.MemoryDisplacement64 == 0x10)
        || (first.Mnemonic == Mnemonic.Lea && first.Op0Register == Register.R12 && first.MemoryBase == Register.RSP);

    /// <summary>A gap start in a file with unwind information: measured over the corpus.</summary>
    private const double WithUnwindInformation = 0.95;

    private bool LooksLikeAFunction(FunctionWalk walk, ulong start, (ulong Start, ulong End)? gap)
    {
        if (walk.Invalid || walk.Instructions.Count == 0 || !decoder.TryDecode(start, out var first) || Padding.Is(first))
        {
            return false;
        }
        foreach (var (at, length) in walk.Instructions)
        {
            if (gap is { } inside && (at < inside.Start || at + (ulong)length > inside.End))
            {
                return false;
            }
            if (claimed.NextPresent(at, at + (ulong)length) != at + (ulong)length)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Aligned pointer-sized values in the file's non-executable sections that point into code.</summary>
    private IEnumerable<ulong> PointersInData()
    {
        var size = decoder.Bitness / 8;
        var view = new ByteView(data, bigEndian: false);
        var code = map.Regions.Where(r => r.Executable).ToList();
        if (code.Count == 0)
        {
            yield break;
        }
        // Most values are nowhere near code: one comparison turns them away before the region lookup.
        var low = code.Min(r => r.Address);
        var high = code.Max(r => r.Address + (ulong)r.FileSize);
        foreach (var region in map.Regions.Where(r => !r.Executable))
        {
            var start = region.Offset + ((size - (long)(region.Address % (ulong)size)) % size);
            for (var offset = start; offset + size <= region.Offset + region.FileSize && view.TryWord(offset, size == 8, out var value); offset += size)
            {
                if (value >= low && value < high && decoder.IsCode(value))
                {
                    yield return value;
                }
            }
        }
    }
}
