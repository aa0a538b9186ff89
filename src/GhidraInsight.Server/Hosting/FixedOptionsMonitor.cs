using Microsoft.Extensions.Options;

namespace GhidraInsight.Server.Hosting;

/// <summary>Options that never change (until configuration reload is wired).</summary>
internal sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
