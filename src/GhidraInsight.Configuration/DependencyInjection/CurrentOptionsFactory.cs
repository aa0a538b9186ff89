using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>
/// Creates options as the running configuration holds them (records are immutable, so there is no instance to configure
/// into); registered validators and post-configurations still run, as in any options factory.
/// </summary>
/// <typeparam name="TOptions">The options or one of their sections.</typeparam>
internal sealed class CurrentOptionsFactory<TOptions>(
    Func<TOptions> current,
    IEnumerable<IConfigureOptions<TOptions>> setups,
    IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
    IEnumerable<IValidateOptions<TOptions>> validations)
    : OptionsFactory<TOptions>(setups, postConfigures, validations)
    where TOptions : class
{
    protected override TOptions CreateInstance(string name) => current();
}
