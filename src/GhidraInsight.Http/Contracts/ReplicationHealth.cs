using System.Text.Json.Serialization;

namespace GhidraInsight.Http.Contracts;

/// <summary>Replication towards one target, as <c>/health</c> reports it.</summary>
/// <param name="LagMs">Age of the oldest write the target has not acknowledged; 0 when none.</param>
/// <param name="Pending">Writes the target has not acknowledged.</param>
/// <param name="PastRetention">
/// The target has been behind longer than <c>outbox_retention</c> (or by more than <c>outbox_max_entries</c>): the outbox no
/// longer keeps its entries, and it is resynced from a snapshot when it returns.
/// </param>
/// <param name="Error">The last delivery error; absent once a delivery succeeds.</param>
public sealed record ReplicationHealth(
    double LagMs,
    long Pending,
    bool PastRetention = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);
