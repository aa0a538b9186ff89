using Iced.Intel;

namespace GhidraInsight.Analysis.Functions;

/// <summary>
/// Recursive descent over one function: follows fall-through and branches, records calls, stops at returns,
/// indirect jumps, invalid bytes and jumps into other known functions (tail calls).
/// </summary>
internal sealed class FunctionWalker(CodeDecoder decoder, Func<ulong, bool> isOtherFunction, int maxInstructions)
{
    public FunctionWalk Walk(ulong start, ulong? knownEnd = null)
    {
        var walk = new FunctionWalk { End = start };
        var pending = new Stack<ulong>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            var address = pending.Pop();
            while (true)
            {
                if (walk.Instructions.ContainsKey(address))
                {
                    break;
                }
                if (walk.Instructions.Count >= maxInstructions)
                {
                    walk.Truncated = true;
                    return walk;
                }
                if (!decoder.TryDecode(address, out var instruction))
                {
                    break;
                }
                walk.Instructions[address] = instruction.Length;
                if (instruction.NextIP > walk.End && address >= start)
                {
                    walk.End = instruction.NextIP;
                }
                if (!Follow(instruction, start, knownEnd, walk, pending))
                {
                    break;
                }
                address = instruction.NextIP;
            }
        }
        return walk;
    }

    /// <summary>Records what the instruction leads to; returns whether execution falls through to the next one.</summary>
    private bool Follow(in Instruction instruction, ulong start, ulong? knownEnd, FunctionWalk walk, Stack<ulong> pending)
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
                return true;
            case FlowControl.IndirectCall:
                if (instruction.IsIPRelativeMemoryOperand)
                {
                    walk.Calls.Add(instruction.IPRelativeMemoryAddress);
                }
                return true;
            case FlowControl.ConditionalBranch:
                if (IsNearBranch(instruction))
                {
                    Branch(instruction.NearBranchTarget, start, knownEnd, walk, pending);
                }
                return true;
            case FlowControl.UnconditionalBranch:
                if (IsNearBranch(instruction))
                {
                    Branch(instruction.NearBranchTarget, start, knownEnd, walk, pending);
                }
                return false;
            case FlowControl.Interrupt:
                // int3 is padding or a trap; "int n" (system calls) returns.
                return instruction.Mnemonic != Mnemonic.Int3;
            case FlowControl.XbeginXabortXend:
                return true;
            default:
                // Return, IndirectBranch, Exception (ud2 …).
                return false;
        }
    }

    private void Branch(ulong target, ulong start, ulong? knownEnd, FunctionWalk walk, Stack<ulong> pending)
    {
        var insideKnownRange = knownEnd is { } end && target >= start && target < end;
        if (target != start && !insideKnownRange && isOtherFunction(target))
        {
            walk.TailCalls.Add(target);
            return;
        }
        pending.Push(target);
    }

    private static bool IsNearBranch(in Instruction instruction) =>
        instruction.Op0Kind is OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64;
}
