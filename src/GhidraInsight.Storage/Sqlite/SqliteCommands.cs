using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite;

/// <summary>Builds a parameterised command in one statement: connection, optional transaction, SQL, named values.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}
