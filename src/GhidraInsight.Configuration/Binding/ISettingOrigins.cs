namespace GhidraInsight.Configuration;

/// <summary>
/// Where each bound value came from, so a validator names the variable actually read and the file line, and does not
/// report again a key whose value was refused already.
/// </summary>
internal interface ISettingOrigins
{
    /// <summary>The key as read from the source that won, or <see langword="null"/> when no source gave it.</summary>
    RawSetting? Get(ConfigName setting);

    /// <summary>Whether binding refused the key's value (the default, or the derived default, stands in).</summary>
    bool Failed(ConfigName setting);

    /// <summary>Whether any problem was reported about the key, by a source or by binding.</summary>
    bool Reported(ConfigName setting);

    /// <summary>Whether a source could not read all of the key's value (an entry that is not <c>region=url</c>, say).</summary>
    bool Incomplete(ConfigName setting);
}
