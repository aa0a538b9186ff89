using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace GhidraInsight.Configuration;

/// <summary>Tells <c>IOptionsMonitor</c> when its part of the running configuration changed.</summary>
/// <typeparam name="TOptions">The options or one of their sections.</typeparam>
internal sealed class CurrentOptionsChangeTokenSource<TOptions>(Func<IChangeToken> changeToken) : IOptionsChangeTokenSource<TOptions>
{
    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => changeToken();
}
