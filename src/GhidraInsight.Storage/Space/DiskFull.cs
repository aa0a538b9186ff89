using Microsoft.Data.Sqlite;
using Npgsql;

namespace GhidraInsight.Storage;

/// <summary>Whether a failed write failed because a disk was full: the service's state, answered 503 STORAGE_FULL, never a 500.</summary>
public static class DiskFull
{
    private const int SqliteFull = 13;
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const string PostgresDiskFull = "53100";

    /// <summary>True when <paramref name="exception"/> or one of its causes says that no space was left.</summary>
    public static bool IsCause(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 8; depth++, exception = exception.InnerException)
        {
            switch (exception)
            {
                case SqliteException sqlite when (sqlite.SqliteErrorCode & 0xff) == SqliteFull:
                case PostgresException postgres when postgres.SqlState == PostgresDiskFull:
                case IOException io when io.HResult is Enospc or Edquot or WindowsDiskFull or WindowsHandleDiskFull:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsCause):
                    return true;
            }
        }

        return false;
    }
}
