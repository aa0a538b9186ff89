namespace GhidraInsight.Tests.Shared;

/// <summary>A fact that needs <see cref="SmallFileSystem"/>: skipped, with the reason, where no tmpfs can be mounted.</summary>
internal sealed class FactWhereTmpfsMountsAttribute : FactAttribute
{
    public FactWhereTmpfsMountsAttribute()
    {
        if (SmallFileSystem.WhyNotMountable is { } reason)
        {
            Skip = reason;
        }
    }
}
