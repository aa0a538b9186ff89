using System.CommandLine;

namespace GhidraInsight.Cli.Commands;

/// <summary>A command the product promises but this version does not have yet: it says so and fails.</summary>
internal static class NotYetCommand
{
    public static Command Create(string name, string description)
    {
        var command = new Command(name, description);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(_ =>
        {
            Console.Error.WriteLine($"ghidrainsight: '{name}' is not implemented in this version yet (see README, \"What does not work yet\").");
            return ExitCodes.Failure;
        });
        return command;
    }
}
