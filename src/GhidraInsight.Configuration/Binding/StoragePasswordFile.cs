namespace GhidraInsight.Configuration;

/// <summary>Reads the database password from <c>storage.password_file</c> when <c>GHIDRA_STORAGE__PASSWORD</c> did not give it.</summary>
internal static class StoragePasswordFile
{
    public static StorageOptions Read(StorageOptions storage, BindingContext context) =>
        storage.Password is not null || storage.PasswordFile is not { } path || context.Origins.Get(StorageSettings.PasswordFile) is not { } raw
            ? storage
            : storage with { Password = SecretFile.Read(StorageSettings.PasswordFile, path, raw, context, "the database password") };
}
