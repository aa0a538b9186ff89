namespace GhidraInsight.Storage;

/// <summary>
/// One recorded action: a strong write, a deletion, a switchover or another admin call, with who made it (the API key's name,
/// never the key) and how it ended. Kept in the region's store and replicated like the data, so every region can show the trail.
/// </summary>
/// <param name="Id">Unique across regions and ordered by time (a version 7 UUID in its text form).</param>
/// <param name="At">When the action was answered.</param>
/// <param name="Region">The region that carried it out.</param>
/// <param name="KeyName">The name of the API key that made the call (<c>anonymous</c> without keys).</param>
/// <param name="Action">What was done: method and route, like <c>PUT /api/analyses/{id}/annotations/{address}</c>.</param>
/// <param name="Target">What it was done to: the request's path, or what the endpoint names (<c>to eu-west-1</c>).</param>
/// <param name="Result">The HTTP status it was answered with.</param>
public sealed record AuditEntry(string Id, DateTimeOffset At, string Region, string KeyName, string Action, string Target, int Result)
{
    /// <summary>A new entry with a fresh id drawn from <paramref name="at"/>.</summary>
    public static AuditEntry Create(DateTimeOffset at, string region, string keyName, string action, string target, int result) =>
        new(Guid.CreateVersion7(at).ToString(), at, region, keyName, action, target, result);
}
