using GhidraInsight.Analysis.Formats;
using System.Runtime.InteropServices;
using Iced.Intel;

namespace GhidraInsight.Analysis.Functions;

/// <summary>
/// Recursive descent over one function: follows fall-through and branches, records calls, stops at returns,
/// indirect jumps, invalid bytes and jumps into other known functions (tail calls).
/// </summary>
internal sealed class FunctionWalker(CodeDecoder decoder, Func<ulong, bool> isOtherFunction, int maxInstructions, CancellationToken cancellationToken = default)
{
    /// <summary>
    /// The file lists no function extents (no <c>.eh_frame</c> or <c>.pdata</c>). Then a jump to a <c>push</c> or <c>sub rsp</c>
    /// at a 16-byte boundary right after padding leaves for another function (80 of 116 over the corpus; with those extents such
    /// targets are almost never starts, 2 of 38, and only <c>endbr</c> counts), and a jump farther than <see cref="MaxReach"/>
    /// is not followed as this function's code.
    /// </summary>
    public bool WithoutUnwindInformation { get; init; }

    /// <summary>A walker for <paramref name="image"/>'s code, set for whether the file lists its functions' extents.</summary>
    public static FunctionWalker For(CodeDecoder decoder, BinaryImage image, Func<ulong, bool> isOtherFunction, int maxInstructions,
        CancellationToken cancellationToken = default) =>
        new(decoder, isOtherFunction, maxInstructions, cancellationToken)
        {
            // .eh_frame or .pdata: then what the file lists is every function but leaf functions.
            WithoutUnwindInformation = !image.FunctionSeeds.Exists(s => s.Source is "eh_frame" or "pdata"),
        };

    public FunctionWalk Walk(ulong start, ulong? knownEnd = null)
    {
        var walk = new FunctionWalk { End = start };
        var pending = new Stack<ulong>();
        pending.Push(start);
        if (!Descend(walk, pending, start))
        {
            return walk;
        }
        if (knownEnd is { } claimedEnd)
        {
            var end = Math.Min(claimedEnd, decoder.CodeEnd(start));
            // Code reached only through jump tables is not found by descent; when the metadata gives the
            // function's extent, sweep the gaps inside it too.
            // A corrupted size can claim gigabytes: the sweep stops at the next function and never leaves code.
            var position = start;
            var steps = 0;
            while (position < end && walk.Instructions.Count < maxInstructions && (position == start || !IsOtherFunction(position, walk)))
            {
                if ((++steps & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                if (walk.Instructions.TryGetValue(position, out var length))
                {
                    position += (ulong)length;
                    continue;
                }
                pending.Push(position);
                var before = walk.Instructions.Count;
                if (!Descend(walk, pending, start))
                {
                    break;
                }
                if (walk.Instructions.Count == before)
                {
                    position++;
                }
            }
        }
        return walk;
    }

    /// <summary>Decodes every block reachable from the pending starts; false when the instruction limit stopped it.</summary>
    private bool Descend(FunctionWalk walk, Stack<ulong> pending, ulong start)
    {
        while (pending.Count > 0)
        {
            var address = pending.Pop();
            _recentCount = 0;
            while (true)
            {
                // One lookup per instruction: the slot is taken now and given back when nothing decodes there.
                ref var length = ref CollectionsMarshal.GetValueRefOrAddDefault(walk.Instructions, address, out var seen);
                if (seen)
                {
                    break;
                }
                if (walk.Instructions.Count > maxInstructions)
                {
                    walk.Instructions.Remove(address);
                    return false;
                }
                if (!decoder.TryDecode(address, out var instruction))
                {
                    walk.Instructions.Remove(address);
                    walk.Invalid = true;
                    break;
                }
                length = instruction.Length;
                Reference(instruction, walk);
                _recent[_recentCount++ % RecentLength] = instruction;
                if (instruction.NextIP > walk.End && address >= start)
                {
                    walk.End = instruction.NextIP;
                }
                if (!Follow(instruction, start, walk, pending))
                {
                    break;
                }
                address = instruction.NextIP;
            }
        }
        return true;
    }

    /// <summary>Records what the instruction leads to; returns whether execution falls through to the next one.</summary>
    private bool Follow(in Instruction instruction, ulong start, FunctionWalk walk, Stack<ulong> pending)
    {
        switch (instruction.FlowControl)
        {
            case FlowControl.Next:
                return instruction.Mnemonic != Mnemonic.Hlt;
            case FlowControl.Call:
                if (IsNearBranch(instruction))
                {
                    walk.Calls.Add(instruction.NearBranchTarget);
                }
                return ReturnsHere(instruction, start, walk);
            case FlowControl.IndirectCall:
                if (instruction.IsIPRelativeMemoryOperand)
                {
                    walk.Calls.Add(instruction.IPRelativeMemoryAddress);
                }
                return ReturnsHere(instruction, start, walk);
            case FlowControl.ConditionalBranch:
                if (IsNearBranch(instruction))
                {
                    Branch(instruction.NearBranchTarget, start, walk, pending);
                }
                return true;
            case FlowControl.UnconditionalBranch:
                if (IsNearBranch(instruction) && !Branch(instruction.NearBranchTarget, start, walk, pending))
                {
                    walk.JumpTargets.Add(instruction.NearBranchTarget);
                }
                return false;
            case FlowControl.Interrupt:
                // int3 is padding or a trap; "int n" (system calls) returns.
                return instruction.Mnemonic != Mnemonic.Int3;
            case FlowControl.XbeginXabortXend:
                return true;
            case FlowControl.IndirectBranch:
                // A switch's jump table: every case is this function's code.
                if (JumpTables.Resolve(Recent(), instruction, decoder, walk.Tables) is { } cases)
                {
                    foreach (var target in cases)
                    {
                        Branch(target, start, walk, pending);
                    }
                }
                return false;
            default:
                // Return, Exception (ud2 …).
                return false;
        }
    }

    /// <summary>The instructions of the current straight run before the last one, oldest first (as many as are kept).</summary>
    private ReadOnlySpan<Instruction> Recent()
    {
        var count = Math.Min(_recentCount, RecentLength) - 1;
        var ordered = new Instruction[Math.Max(count, 0)];
        for (var i = 0; i < count; i++)
        {
            ordered[i] = _recent[(_recentCount - 1 - count + i) % RecentLength];
        }
        return ordered;
    }

    /// <summary>How many instructions before an indirect jump are kept to recognise its jump table.</summary>
    private const int RecentLength = 16;

    private readonly Instruction[] _recent = new Instruction[RecentLength];
    private int _recentCount;

    /// <summary>
    /// Whether a call falls through to the next instruction: not when another function starts there, right after it or after
    /// padding (the call does not return: <c>abort</c>, <c>__stack_chk_fail</c>, <c>exit</c>, a Rust panic), which would otherwise
    /// be taken as this function's code; nor when padding follows it up to a 16-byte boundary where code begins as a function
    /// does (<see cref="StartInference.StartsLikeAFunction"/>): compilers pad only after a function's last instruction, and a
    /// returning call is never that; nor when <c>endbr</c> follows it right at such a boundary.
    /// </summary>
    private bool ReturnsHere(in Instruction instruction, ulong start, FunctionWalk walk)
    {
        var next = instruction.NextIP;
        for (var i = 0; i < MaxPaddingAfterCall && decoder.ReadData(next, 4) is { } word && Padding.MayStartWith((byte)word)
            && decoder.TryDecode(next, out var padding) && Padding.Is(padding); i++)
        {
            next = padding.NextIP;
        }
        if (next % 16 == 0 && next != start && decoder.TryDecode(next, out var following) && StartInference.StartsLikeAFunction(following)
            && (next != instruction.NextIP || following.Mnemonic is Mnemonic.Endbr64 or Mnemonic.Endbr32))
        {
            return false;
        }
        return next == start || !IsOtherFunction(next, walk);
    }

    /// <summary>Padding instructions skipped after a call while looking for the next function (alignment needs a few at most).</summary>
    private const int MaxPaddingAfterCall = 16;

    /// <summary>Records an address the instruction takes as data: a function whose address is taken (a callback, a table entry).</summary>
    private static void Reference(in Instruction instruction, FunctionWalk walk)
    {
        if (instruction.Mnemonic == Mnemonic.Lea && instruction.IsIPRelativeMemoryOperand)
        {
            walk.References.Add(instruction.IPRelativeMemoryAddress);
            return;
        }
        if (instruction.Mnemonic is Mnemonic.Mov or Mnemonic.Push && instruction.OpCount > 0)
        {
            var last = instruction.OpCount - 1;
            if (instruction.GetOpKind(last) is OpKind.Immediate32 or OpKind.Immediate32to64)
            {
                walk.Immediates.Add(instruction.GetImmediate(last));
            }
        }
    }

    /// <summary>
    /// Follows a jump: true when it leaves for another function (a tail call), known or starting as only functions do (see
    /// <see cref="StartsAFunction"/>); such a start is not taken as this function's code.
    /// </summary>
    private bool Branch(ulong target, ulong start, FunctionWalk walk, Stack<ulong> pending)
    {
        if (target != start && IsOtherFunction(target, walk))
        {
            walk.TailCalls.Add(target);
            return true;
        }
        if (target != start && StartsAFunction(target) is { } confidence)
        {
            walk.TailCalls.Add(target);
            walk.JumpedToStarts[target] = confidence;
            return true;
        }
        if (WithoutUnwindInformation && (target > start ? target - start : start - target) > MaxReach)
        {
            return true;
        }
        pending.Push(target);
        return false;
    }

    /// <summary>
    /// Whether code at <paramref name="target"/> begins as a function and nothing else: at a 16-byte boundary, with <c>endbr</c>
    /// (only entries and indirect-branch targets carry it, and compilers reach their own labels with <c>notrack</c> jumps), or,
    /// <see cref="WithoutUnwindInformation"/>, with a <c>push</c> or <c>sub rsp</c> right after padding.
    /// </summary>
    /// <returns>How often a start of that shape was a real one over the function corpus (<c>endbr</c> 211 of 211, <c>push</c> or
    /// <c>sub rsp</c> after padding 80 of 116); null when it does not begin so.</returns>
    private double? StartsAFunction(ulong target)
    {
        if (target % 16 != 0 || !decoder.TryDecode(target, out var first) || !StartInference.StartsLikeAFunction(first))
        {
            return null;
        }
        if (first.Mnemonic is Mnemonic.Endbr64 or Mnemonic.Endbr32)
        {
            return 0.99;
        }
        return WithoutUnwindInformation && decoder.ReadData(target - 1, 1) is { } before && before is 0x90 or 0xcc ? 0.65 : null;
    }

    /// <summary>
    /// How far from its start a function's own code reaches, at most, when the file does not say: farther jumps lead to another
    /// function or a cold part, and following one as this function's code made a walk run through hundreds of functions.
    /// </summary>
    private const ulong MaxReach = 0x10000;

    private bool IsOtherFunction(ulong address, FunctionWalk walk)
    {
        if (isOtherFunction(address))
        {
            return true;
        }
        walk.NotOtherFunctions.Add(address);
        return false;
    }

    private static bool IsNearBranch(in Instruction instruction) =>
        instruction.Op0Kind is OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64;
}
