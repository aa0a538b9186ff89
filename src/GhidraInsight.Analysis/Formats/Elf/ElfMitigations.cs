using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>
/// Exploit mitigations decided the way checksec 2.6 decides them, so the two agree:
/// NX from PT_GNU_STACK, RELRO from PT_GNU_RELRO plus immediate binding, canary and FORTIFY from symbol names.
/// </summary>
internal static class ElfMitigations
{
    private static readonly string[] CanaryMarkers = ["__stack_chk_fail", "__stack_chk_guard", "__intel_security_cookie"];

    public static Mitigations Decide(ElfContext ctx)
    {
        var stack = ctx.Segments.Where(s => s.Type == ElfSegment.GnuStack).ToList();
        var relro = ctx.Segments.Any(s => s.Type == ElfSegment.GnuRelro);
        return new Mitigations
        {
            // No PT_GNU_STACK means the loader makes the stack executable on x86.
            Nx = stack.Count > 0 && (stack[0].Flags & ElfSegment.FlagExecute) == 0,
            // checksec prints "DSO" for a shared library without DT_DEBUG; both are position independent.
            Pie = ctx.Header.Type == ElfHeader.TypeShared,
            Relro = !relro ? "none" : ctx.Dynamic.BindNow ? "full" : "partial",
            Canary = ctx.StaticSymbols.Concat(ctx.DynamicSymbols).Any(s => CanaryMarkers.Any(m => s.Name.Contains(m, StringComparison.Ordinal))),
            Fortify = ctx.DynamicSymbols.Any(s => IsFortified(s.Name)),
        };
    }

    /// <summary>glibc's checked variants: <c>__printf_chk</c>, <c>__memcpy_chk</c>, …</summary>
    private static bool IsFortified(string name) =>
        name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("_chk", StringComparison.Ordinal);
}
