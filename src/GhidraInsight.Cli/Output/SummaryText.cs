using System.Globalization;
using System.Text;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Cli.Output;

/// <summary>The readable summary of <c>ghidrainsight analyze</c>.</summary>
internal static class SummaryText
{
    private const int MaxListed = 20;

    public static string Render(string path, AnalysisResult result)
    {
        var text = new StringBuilder();
        var b = result.Binary;
        text.AppendLine(CultureInfo.InvariantCulture, $"{path}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  format       {b.Kind ?? b.Format} {b.Arch}, {b.Bits}-bit {b.Endian}-endian{(b.FileType is null ? "" : ", " + b.FileType)}");
        if (b.EntryPoint is { } entry)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  entry        {HexAddressConverter.Format(entry)}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"  size         {b.Size} bytes");
        text.AppendLine(CultureInfo.InvariantCulture, $"  sha256       {b.Sha256}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  entropy      {result.Entropy.Overall:F3} bits/byte, {(result.Entropy.Packed ? "looks packed or encrypted" : "not packed")}");
        foreach (var slice in result.Slices)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  slice        {slice.Arch} at offset {slice.Offset}, {slice.Size} bytes, {slice.Analysis.Functions.Count} functions");
        }
        AppendSections(text, result.Sections);
        text.AppendLine(CultureInfo.InvariantCulture, $"  mitigations  {Mitigations(result.Mitigations)}");
        var libraries = result.Imports.Where(i => i.Name is null).Select(i => i.Library).Distinct().Count();
        text.AppendLine(CultureInfo.InvariantCulture, $"  imports      {result.Imports.Count(i => i.Name is not null)} functions, {libraries} libraries; exports {result.Exports.Count}; symbols {result.Symbols.Count}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  functions    {result.Functions.Count}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  strings      {result.Strings.Count}");
        AppendList(text, "findings", result.Findings, f => $"{f.Severity,-8} {f.Cwe,-8} {f.Symbol} — {f.Type}");
        AppendList(text, "crypto", result.Crypto, c => $"{c.Algorithm} {c.Constant}{(c.Endian is null ? "" : $" ({c.Endian}-endian)")} at offset 0x{c.Offset:x}{(c.Section is null ? "" : " in " + c.Section)}");
        AppendList(text, "errors", result.Errors, e => $"{e.Code}: {e.Message}{(e.Offset is { } o ? $" (offset 0x{o:x})" : "")}");
        text.AppendLine();
        return text.ToString();
    }

    private static void AppendSections(StringBuilder text, IReadOnlyList<SectionInfo> sections)
    {
        if (sections.Count == 0)
        {
            return;
        }
        text.AppendLine("  sections");
        text.AppendLine(CultureInfo.InvariantCulture, $"    {"name",-24} {"address",-18} {"offset",10} {"size",10} {"perm",-4} {"entropy",7}");
        foreach (var s in sections)
        {
            var name = s.Segment is null ? s.Name : $"{s.Segment},{s.Name}";
            var entropy = s.Entropy is { } e ? e.ToString("F3", CultureInfo.InvariantCulture) : "-";
            text.AppendLine(CultureInfo.InvariantCulture, $"    {name,-24} {HexAddressConverter.Format(s.Address),-18} {s.Offset,10} {s.Size,10} {s.Permissions,-4} {entropy,7}");
        }
    }

    private static string Mitigations(Mitigations m)
    {
        var parts = new List<string>();
        void Flag(string name, bool? value)
        {
            if (value is { } v)
            {
                parts.Add($"{name} {(v ? "yes" : "no")}");
            }
        }
        Flag("NX", m.Nx);
        Flag("PIE", m.Pie);
        if (m.Relro is not null)
        {
            parts.Add($"RELRO {m.Relro}");
        }
        Flag("canary", m.Canary);
        Flag("FORTIFY", m.Fortify);
        Flag("ASLR", m.Aslr);
        Flag("high-entropy VA", m.HighEntropyVa);
        Flag("DEP", m.Dep);
        Flag("CFG", m.Cfg);
        Flag("SafeSEH", m.SafeSeh);
        Flag("signed", m.Signed);
        Flag("no-heap-exec", m.NoHeapExec);
        Flag("code signature", m.CodeSignature);
        return parts.Count == 0 ? "(none known for this format)" : string.Join(", ", parts);
    }

    private static void AppendList<T>(StringBuilder text, string title, IReadOnlyList<T> items, Func<T, string> line)
    {
        if (items.Count == 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {title,-12} none");
            return;
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"  {title} ({items.Count})");
        foreach (var item in items.Take(MaxListed))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {line(item)}");
        }
        if (items.Count > MaxListed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    … {items.Count - MaxListed} more (see --json)");
        }
    }
}
