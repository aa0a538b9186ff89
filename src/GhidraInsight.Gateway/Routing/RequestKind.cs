namespace GhidraInsight.Gateway.Routing;

/// <summary>How the gateway treats a request.</summary>
internal enum RequestKind
{
    /// <summary>Inter-region traffic (replication, the internal API, Raft): never exposed through the gateway (404).</summary>
    Blocked,

    /// <summary>GET, HEAD, OPTIONS, and an analysis upload (its result depends only on its bytes): nearest region, retried on the next.</summary>
    Idempotent,

    /// <summary>A read that asked for <c>X-Consistency: strong</c>: the primary first, retried like any read.</summary>
    StrongRead,

    /// <summary>A write only the primary accepts (annotations, deletions, failover): the primary; retried only when refused untaken.</summary>
    StrongWrite,
}
