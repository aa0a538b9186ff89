using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace GhidraInsight.Configuration;

/// <summary>
/// A read-only dictionary equal to any other <see cref="ValueMap{TKey, TValue}"/> with the same entries, in any order, so
/// the options records keep their compiler-generated equality. Enumerates in the order the entries were given.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type, itself value-equal.</typeparam>
internal sealed class ValueMap<TKey, TValue> : IReadOnlyDictionary<TKey, TValue>, IEquatable<ValueMap<TKey, TValue>>
    where TKey : notnull
{
    private readonly KeyValuePair<TKey, TValue>[] _entries;
    private readonly Dictionary<TKey, TValue> _lookup;

    private ValueMap(KeyValuePair<TKey, TValue>[] entries)
    {
        _entries = entries;
        _lookup = new Dictionary<TKey, TValue>(entries);
    }

    /// <summary>The empty map.</summary>
    public static ValueMap<TKey, TValue> Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _entries.Length;

    /// <inheritdoc/>
    public IEnumerable<TKey> Keys => _entries.Select(e => e.Key);

    /// <inheritdoc/>
    public IEnumerable<TValue> Values => _entries.Select(e => e.Value);

    /// <inheritdoc/>
    public TValue this[TKey key] => _lookup[key];

    /// <summary>The entries as a <see cref="ValueMap{TKey, TValue}"/>: the same instance if it is one, else a copy.</summary>
    public static ValueMap<TKey, TValue> From(IEnumerable<KeyValuePair<TKey, TValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries as ValueMap<TKey, TValue> ?? new ValueMap<TKey, TValue>([.. entries]);
    }

    /// <inheritdoc/>
    public bool ContainsKey(TKey key) => _lookup.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => _lookup.TryGetValue(key, out value);

    /// <inheritdoc/>
    public bool Equals(ValueMap<TKey, TValue>? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Count == other.Count
                && _entries.All(e => other._lookup.TryGetValue(e.Key, out var value) && EqualityComparer<TValue>.Default.Equals(e.Value, value))));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ValueMap<TKey, TValue>);

    /// <summary>Independent of order, as <see cref="Equals(ValueMap{TKey, TValue})"/> is.</summary>
    public override int GetHashCode() => _entries.Aggregate(Count, (hash, e) => hash ^ HashCode.Combine(e.Key, e.Value));

    /// <summary><c>{a: x, b: y}</c>.</summary>
    public override string ToString() => $"{{{string.Join(", ", _entries.Select(e => $"{e.Key}: {e.Value}"))}}}";

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<TKey, TValue>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
