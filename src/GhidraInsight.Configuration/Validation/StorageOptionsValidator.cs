using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>
/// Validates the <c>storage:</c> section: a value that no source gave (set in code) is held to its key's rule, as binding
/// holds the values it reads. A value read from a source was judged when it was bound, so it is not reported twice.
/// PostgreSQL needs a connection string.
/// </summary>
internal sealed class StorageOptionsValidator(ISettingOrigins origins) : IValidateOptions<StorageOptions>
{
    public StorageOptionsValidator()
        : this(SettingOrigins.None)
    {
    }

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = StorageSettings.Section.CheckValues(options, origins).ToList();
        var connection = StorageSettings.ConnectionString;
        if (options.IsPostgres && options.ConnectionString is null && !origins.Reported(connection) && !origins.Reported(StorageSettings.Provider))
        {
            failures.Add($"{connection} is required with storage.provider postgres: the hosts of every region's database, e.g. Host=db-us:5432,db-eu:5432;Database=ghidrainsight;Username=ghidra");
        }

        return OptionsValidation.Result(failures);
    }
}
