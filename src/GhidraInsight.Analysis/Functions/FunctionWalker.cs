using System.Runtime.InteropServices;
using Iced.Intel;

namespace GhidraInsight.Analysis.Functions;

/// <summary>
/// Recursive descent over one function: follows fall-through and branches, records calls, stops at returns,
/// indirect jumps, invalid bytes and jumps into other known functions (tail calls).
/// </summary>
internal sealed class FunctionWalker(CodeDecoder decoder, Func<ulong, bool> isOtherFunction, int maxInstructions, CancellationToken cancellationToken = default)
{
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
    /// be taken as this function's code.
    /// </summary>
    private bool ReturnsHere(in Instruction instruction, ulong start, FunctionWalk walk)
    {
        var next = instruction.NextIP;
        for (var i = 0; i < MaxPaddingAfterCall && decoder.ReadData(next, 4) is { } word && Padding.MayStartWith((byte)word)
            && decoder.TryDecode(next, out var padding) && Padding.Is(padding); i++)
        {
            next = padding.NextIP;
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

    /// <summary>Follows a jump: true when it leaves for another known function (a tail call).</summary>
    private bool Branch(ulong target, ulong start, FunctionWalk walk, Stack<ulong> pending)
    {
        if (target != start && IsOtherFunction(target, walk))
        {
            walk.TailCalls.Add(target);
            return true;
        }
        pending.Push(target);
        return false;
    }

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
