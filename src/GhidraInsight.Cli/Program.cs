using System.CommandLine;
using GhidraInsight.Cli;
using GhidraInsight.Cli.Analyzing;
using GhidraInsight.Cli.Commands;

var root = new RootCommand("GhidraInsight: binary analysis of ELF, PE and Mach-O files, served from several regions.")
{
    AnalyzeCommand.Create((server, apiKey) => new RemoteAnalyzer(server, apiKey)),
    UpCommand.Create(),
    RegionsCommand.Create(),
    FailoverCommand.Create(),
    DoctorCommand.Create(),
    DrillCommand.Create(),
    ReanalyzeCommand.Create(),
    ServeCommand.Create(),
    GatewayCommand.Create(),
};
var logFormat = LogFormatOption.AddTo(root);
return await CommandLineRunner.RunAsync(root, args, parse => LogFormatOption.Apply(parse, logFormat));
