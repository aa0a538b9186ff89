using System.CommandLine;
using GhidraInsight.Cli;
using GhidraInsight.Cli.Commands;

// The launcher runs this only for `analyze` on local files (no --server, --api-key, --log-format or help), so its command line
// is the managed CLI's with those left out.
var root = new RootCommand("GhidraInsight: binary analysis of ELF, PE and Mach-O files (local analysis, compiled ahead of time).")
{
    AnalyzeCommand.Create(remote: null),
};
return await CommandLineRunner.RunAsync(root, args);
