namespace GhidraInsight.Analysis.Functions.Arm64;

/// <summary>
/// Recursive descent over one AArch64 function: fall-through and branches, calls (<c>bl</c>) recorded, stopping at returns,
/// indirect branches, traps, invalid words and branches into other known functions (tail calls). When the metadata gives the
/// function's extent, every word inside it is decoded too (code reached through a jump table is found so).
/// </summary>
internal sealed class Arm64Walker(Arm64Decoder decoder, Func<ulong, bool> isOtherFunction, int maxInstructions, CancellationToken cancellationToken = default)
{
    public FunctionWalk Walk(ulong start, ulong? knownEnd = null)
    {
        var walk = new FunctionWalk { End = start };
        var pending = new Stack<ulong>();
        pending.Push(start);
        Descend(walk, pending, start, knownEnd);
        if (knownEnd is { } claimedEnd)
        {
            var end = Math.Min(claimedEnd, decoder.CodeEnd(start));
            for (var position = start; position < end && walk.Instructions.Count < maxInstructions; position += 4)
            {
                if (position != start && IsOtherFunction(position, walk))
                {
                    break;
                }
                if (!walk.Instructions.ContainsKey(position))
                {
                    pending.Push(position);
                    Descend(walk, pending, start, knownEnd);
                }
            }
        }
        return walk;
    }

    private void Descend(FunctionWalk walk, Stack<ulong> pending, ulong start, ulong? knownEnd)
    {
        while (pending.Count > 0 && walk.Instructions.Count < maxInstructions)
        {
            var address = pending.Pop();
            while (true)
            {
                if (walk.Instructions.ContainsKey(address) || (address != start && IsOtherFunction(address, walk)))
                {
                    break;
                }
                if ((walk.Instructions.Count & 0xFFF) == 0xFFF)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                if (!decoder.TryDecode(address, out var instruction))
                {
                    walk.Invalid = true;
                    break;
                }
                walk.Instructions[address] = instruction.Length;
                walk.End = Math.Max(walk.End, address + (ulong)instruction.Length);
                var next = address + (ulong)instruction.Length;
                switch (instruction.Flow)
                {
                    case Arm64Flow.Call when instruction.Target is { } callee:
                        if (decoder.IsCode(callee))
                        {
                            walk.Calls.Add(callee);
                        }
                        address = next;
                        continue;
                    case Arm64Flow.ConditionalJump when instruction.Target is { } branch:
                        if (decoder.IsCode(branch))
                        {
                            pending.Push(branch);
                        }
                        address = next;
                        continue;
                    case Arm64Flow.Jump when instruction.Target is { } target:
                        // Outside the function's known extent, or at another function's start: a tail call.
                        if (decoder.IsCode(target))
                        {
                            if ((knownEnd is { } end && (target < start || target >= end)) || (target != start && IsOtherFunction(target, walk)))
                            {
                                walk.TailCalls.Add(target);
                            }
                            else
                            {
                                walk.JumpTargets.Add(target);
                                pending.Push(target);
                            }
                        }
                        break;
                    case Arm64Flow.Next or Arm64Flow.IndirectCall or Arm64Flow.Call or Arm64Flow.ConditionalJump:
                        address = next;
                        continue;
                }
                break;
            }
        }
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
}
