using Microsoft.Extensions.Configuration;

namespace GhidraInsight.Configuration;

/// <summary>
/// Binds every declared key of every section from the configuration root, reporting each bad value (and every problem the
/// sources found) as one line; a bad value leaves the default in place so the other keys are still checked.
/// </summary>
internal static class OptionsBinder
{
    public static BindingResult Bind(IConfigurationRoot root)
    {
        var reader = new SettingReader(root);
        var context = new BindingContext(reader);
        foreach (var problem in reader.Problems)
        {
            context.Report(problem);
        }

        var options = new GhidraOptions();
        foreach (var section in OptionsSections.All)
        {
            options = section.Bind(options, context);
        }

        return new BindingResult(options, context.Origins, context.Errors);
    }
}
