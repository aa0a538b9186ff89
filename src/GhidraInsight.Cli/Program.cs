using System.CommandLine;
using GhidraInsight.Cli;
using GhidraInsight.Cli.Commands;

var root = new RootCommand("GhidraInsight: binary analysis of ELF, PE and Mach-O files, served from several regions.")
{
    AnalyzeCommand.Create(),
    UpCommand.Create(),
    RegionsCommand.Create(),
    FailoverCommand.Create(),
    ReanalyzeCommand.Create(),
    ServeCommand.Create(),
    GatewayCommand.Create(),
};
return await CommandLineRunner.RunAsync(root, args);
