using GhidraInsight.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Authentication;

/// <summary>
/// The keys inter-region requests are signed and verified with: the current secret, and during a rotation the previous one.
/// Requests are signed with the current key; both are accepted. A reload (the secret files changed, then SIGHUP) swaps them
/// without a restart, so every region of a running deployment can move to a new secret one after the other.
/// </summary>
public sealed class RegionSecret
{
    private Keys _keys;

    /// <summary>Fixed keys (tests, tools that speak for a region).</summary>
    public RegionSecret(string secret, string? previous = null) => _keys = Keys.From(secret, previous);

    internal Keys Current => Volatile.Read(ref _keys);

    /// <summary>Keys that follow the region's options: a reload with another secret (or previous secret) takes effect at once.</summary>
    internal static RegionSecret Following(IOptionsMonitor<RegionOptions> options, ILogger logger)
    {
        var region = options.CurrentValue;
        var secret = new RegionSecret(region.Secret ?? throw new InvalidOperationException("region.secret is not set"), region.PreviousSecret);
        options.OnChange(changed => secret.Update(changed.Secret, changed.PreviousSecret, logger));
        return secret;
    }

    private void Update(string? secret, string? previous, ILogger logger)
    {
        if (string.IsNullOrEmpty(secret))
        {
            // The services that need a secret were set up at start; a region cannot stop authenticating while it runs.
            Log.SecretRemovalIgnored(logger);
            return;
        }
        var next = Keys.From(secret, previous);
        var before = Interlocked.Exchange(ref _keys, next);
        if (!before.SameAs(next))
        {
            Log.SecretChanged(logger, next.Previous is null ? "none" : "kept");
        }
    }

    internal sealed record Keys(byte[] Signing, byte[]? Previous)
    {
        public static Keys From(string secret, string? previous) =>
            new(RegionSignature.KeyFrom(secret), string.IsNullOrEmpty(previous) || previous == secret ? null : RegionSignature.KeyFrom(previous));

        public bool SameAs(Keys other) =>
            Signing.AsSpan().SequenceEqual(other.Signing) && (Previous ?? []).AsSpan().SequenceEqual(other.Previous ?? []);
    }
}
