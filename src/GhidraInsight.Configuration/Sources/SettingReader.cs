using Microsoft.Extensions.Configuration;

namespace GhidraInsight.Configuration;

/// <summary>
/// Reads one key from the configuration root the way precedence works: the last source that has the key wins, and it wins
/// as a whole, so a list from the environment replaces the file's list instead of being merged into it item by item.
/// </summary>
internal sealed class SettingReader(IConfigurationRoot root)
{
    private static readonly string[] ApiKeyFields = ["name", "role", "key", "key_sha256"];

    /// <summary>Every problem the sources found, in source order (file, environment, flags).</summary>
    public IEnumerable<SettingProblem> Problems => root.Providers.OfType<ISettingSource>().SelectMany(s => s.Problems);

    public RawSetting? Read(ConfigName setting)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            var present = provider.TryGet(setting.Path, out var text);
            var children = Children(provider, setting.Path);
            if (!present && children.Count == 0)
            {
                continue;
            }

            var source = new ProviderView(provider, setting);
            var whole = source.Raw(setting.Path, text ?? "");
            return setting.Shape switch
            {
                SettingShape.List => new RawSetting(whole) { Items = [.. children.Select(c => source.Raw(c, source.Text(c)))] },
                SettingShape.Map => new RawSetting(whole)
                {
                    Pairs = [.. children.Select(c => new KeyValuePair<RawValue, RawValue>(
                        source.Raw(c, c[(setting.Path.Length + 1)..]), source.Raw(c, source.Text(c))))],
                },
                SettingShape.ApiKeys => new RawSetting(whole) { Entries = [.. children.Select((c, i) => Entry(source, c, i))] },
                _ => new RawSetting(whole),
            };
        }

        return null;
    }

    /// <summary>The child paths of <paramref name="path"/> in one provider, in the order they were written.</summary>
    private static List<string> Children(IConfigurationProvider provider, string path)
    {
        var origins = provider as ISettingSource;
        return [.. provider.GetChildKeys([], path)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(key => $"{path}:{key}")
            .OrderBy(child => origins?.OriginOf(child)?.Order ?? 0)];
    }

    private static RawApiKey Entry(ProviderView source, string path, int position)
    {
        var fields = ApiKeyFields.ToDictionary(f => f, f => source.TryRaw($"{path}:{f}"), StringComparer.Ordinal);
        var index = int.TryParse(path[(path.LastIndexOf(':') + 1)..], out var written) ? written : position;
        return new RawApiKey(index, source.Raw(path, "").Where, fields["name"], fields["role"], fields["key"], fields["key_sha256"]);
    }

    /// <summary>One provider's values with their origins; a provider from elsewhere gets the key's own variable and no place.</summary>
    private sealed class ProviderView(IConfigurationProvider provider, ConfigName setting)
    {
        public string Text(string path) => provider.TryGet(path, out var text) ? text ?? "" : "";

        public RawValue? TryRaw(string path) => provider.TryGet(path, out var text) ? Raw(path, text ?? "") : null;

        public RawValue Raw(string path, string text) =>
            (provider as ISettingSource)?.OriginOf(path) is { } origin
                ? new RawValue(text, origin.EnvironmentVariable, origin.Where, origin.BaseDirectory)
                : new RawValue(text, setting.EnvironmentVariable, "");
    }
}
