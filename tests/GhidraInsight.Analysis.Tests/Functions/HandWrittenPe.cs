namespace GhidraInsight.Analysis.Tests.Functions;

/// <summary>
/// PE files from assembly under <c>Corpus/</c>, for the shapes of code MSVC emits (MSVC cannot run here): clang assembles,
/// lld-link links twice, once as analysed (no symbols) and once with a COFF symbol table for objdump's labels.
/// </summary>
internal static class HandWrittenPe
{
    public static (string Analysed, string WithSymbols) Link(string folder, string source, string target, string linkFlag)
    {
        var objectFile = Path.Combine(folder, Path.GetFileNameWithoutExtension(source) + ".obj");
        ExternalTool.Run("clang", $"--target={target}", "-c", "-o", objectFile, Path.Combine(AppContext.BaseDirectory, "Corpus", source));
        string Link(string name, params string[] more)
        {
            var output = Path.Combine(folder, name);
            ExternalTool.Run("lld-link", [
                "/entry:main", "/subsystem:console", "/nodefaultlib", .. linkFlag.Split(' ', StringSplitOptions.RemoveEmptyEntries), .. more,
                $"/out:{output}", objectFile]);
            return output;
        }
        return (Link(Path.GetFileNameWithoutExtension(source) + ".exe"), Link(Path.GetFileNameWithoutExtension(source) + "-symbols.exe", "/debug:symtab"));
    }
}
