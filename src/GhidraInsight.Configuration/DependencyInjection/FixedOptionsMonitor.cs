using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>Options built in code (tests, benchmarks), which never change: an <see cref="IOptionsMonitor{TOptions}"/> of one value.</summary>
public sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
