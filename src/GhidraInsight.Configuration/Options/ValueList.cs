using System.Collections;

namespace GhidraInsight.Configuration;

/// <summary>
/// A read-only list equal to any other <see cref="ValueList{T}"/> with equal items in the same order, so the options
/// records keep their compiler-generated equality. The options' <c>init</c> accessors wrap whatever list they are given.
/// </summary>
/// <typeparam name="T">The item type, itself value-equal.</typeparam>
internal sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    private ValueList(T[] items) => _items = items;

    /// <summary>The empty list.</summary>
    public static ValueList<T> Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public T this[int index] => _items[index];

    /// <summary>The items as a <see cref="ValueList{T}"/>: the same instance if it is one, else a copy.</summary>
    public static ValueList<T> From(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items as ValueList<T> ?? new ValueList<T>([.. items]);
    }

    /// <inheritdoc/>
    public bool Equals(ValueList<T>? other) =>
        other is not null && (ReferenceEquals(this, other) || _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary><c>[a, b]</c>.</summary>
    public override string ToString() => $"[{string.Join(", ", _items)}]";

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
