using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>Runs every section's validator, then the rules across sections; all problems together, one line each.</summary>
internal static class OptionsValidation
{
    public static IReadOnlyList<string> Validate(GhidraOptions options, ISettingOrigins origins)
    {
        var name = Options.DefaultName;
        return
        [
            .. Failures(new ServerOptionsValidator(origins).Validate(name, options.Server)),
            .. Failures(new StorageOptionsValidator(origins).Validate(name, options.Storage)),
            .. Failures(new AuthOptionsValidator(origins).Validate(name, options.Auth)),
            .. Failures(new RegionOptionsValidator(origins).Validate(name, options.Region)),
            .. Failures(new GatewayOptionsValidator(origins).Validate(name, options.Gateway)),
            .. Failures(new GhidraOptionsValidator(origins).Validate(name, options)),
        ];
    }

    /// <summary>The result of a list of problems: success when there are none.</summary>
    public static ValidateOptionsResult Result(IEnumerable<string> errors)
    {
        var list = errors.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }

    private static IEnumerable<string> Failures(ValidateOptionsResult result) => result.Failed ? result.Failures ?? [] : [];
}
