namespace GhidraInsight.Gateway.Routing;

/// <summary>How the gateway treats a request.</summary>
internal enum RequestKind
{
    /// <summary>Inter-region traffic (replication, the internal API, Raft): never exposed through the gateway (404).</summary>
    Blocked,

    /// <summary>GET, HEAD, OPTIONS, and an analysis upload (its result depends only on its bytes): nearest region, retried on the next.</summary>
    Idempotent,

    /// <summary>
    /// A read or an analysis upload that asked for <c>X-Consistency: strong</c>: the primary only, since no other region's copy is
    /// as fresh (and a strong write that follows an upload finds it there); 503 while the gateway knows no primary in rotation.
    /// </summary>
    PrimaryOnly,

    /// <summary>A write only the primary accepts (annotations, deletions, failover): the primary; retried only when refused untaken.</summary>
    StrongWrite,
}
