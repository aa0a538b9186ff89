namespace GhidraInsight.Storage;

/// <summary>The store's database did not answer before its deadline (retried until then); nothing was changed by the call.</summary>
public class StoreUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// A write the database could not take before its deadline because no primary accepted it (a failover under way, or the
/// primary unreachable). Nothing was stored: the write was retried until then, and each retry is idempotent.
/// </summary>
public sealed class PrimaryUnavailableException(string message, Exception? innerException = null) : StoreUnavailableException(message, innerException);
