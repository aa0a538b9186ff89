namespace GhidraInsight.Configuration;

/// <summary>The rules of the PEM file keys (certificates, keys, CA bundles): optional paths, made absolute like every path.</summary>
internal static class TlsFiles
{
    public static OptionalRule<string> Certificate { get; } = new(new PathRule("must be the path of a PEM certificate file"));

    public static OptionalRule<string> Key { get; } = new(new PathRule("must be the path of a PEM private key file"));

    public static OptionalRule<string> Authority { get; } = new(new PathRule("must be the path of a PEM file of CA certificates"));
}
