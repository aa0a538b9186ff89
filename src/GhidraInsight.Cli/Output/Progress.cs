using Spectre.Console;

namespace GhidraInsight.Cli.Output;

/// <summary>A progress bar on stderr while several files are analysed; nothing for one file or when stderr is not a terminal.</summary>
internal static class Progress
{
    public static async Task RunAsync(IReadOnlyList<string> paths, Func<string, Action, Task> work)
    {
        if (paths.Count < 2 || Console.IsErrorRedirected)
        {
            foreach (var path in paths)
            {
                await work(path, () => { });
            }
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask("analysing", maxValue: paths.Count);
            foreach (var path in paths)
            {
                task.Description = Markup.Escape(Path.GetFileName(path));
                await work(path, () => task.Increment(1));
            }
        });
    }
}
