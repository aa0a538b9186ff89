using GhidraInsight.Storage.Tests.Contract;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Sqlite;

// The SQLite store runs every contract of the store (Contract/); a second implementation adds the same list for itself.
public sealed class SqliteAnalysisStorageTests : AnalysisStorageContract<SqliteProvider>;

public sealed class SqliteAnnotationTests : AnnotationContract<SqliteProvider>;

public sealed class SqliteBinaryStorageTests : BinaryStorageContract<SqliteProvider>;

public sealed class SqliteOutboxTests : OutboxContract<SqliteProvider>;

public sealed class SqliteReplicationProgressTests : ReplicationProgressContract<SqliteProvider>;

public sealed class SqliteReplicationApplyTests : ReplicationApplyContract<SqliteProvider>;

public sealed class SqliteReplicationConflictTests : ReplicationConflictContract<SqliteProvider>;

public sealed class SqliteAnnotationLineageTests : AnnotationLineageContract<SqliteProvider>;

public sealed class SqliteAnnotationConflictRecordTests : AnnotationConflictRecordContract<SqliteProvider>;

public sealed class SqliteThreeEpochLineageTests : ThreeEpochLineageContract<SqliteProvider>;

public sealed class SqliteLineageCapTests : LineageCapContract<SqliteProvider>;

public sealed class SqliteWriteEpochTests : WriteEpochContract<SqliteProvider>;

public sealed class SqliteAnnotationPagingTests : AnnotationPagingContract<SqliteProvider>;

public sealed class SqliteOutboxPruningTests : OutboxPruningContract<SqliteProvider>;

public sealed class SqliteSnapshotTests : SnapshotContract<SqliteProvider>;

public sealed class SqliteChangeFeedTests : ChangeFeedContract<SqliteProvider>;

public sealed class SqliteAuditTrailTests : AuditTrailContract<SqliteProvider>;

public sealed class SqliteAuditReplicationTests : AuditReplicationContract<SqliteProvider>;

public sealed class SqliteReanalysisTests : ReanalysisContract<SqliteProvider>;

public sealed class SqliteReanalysisReplicationTests : ReanalysisReplicationContract<SqliteProvider>;

public sealed class SqliteAnalysisNameTests : AnalysisNameContract<SqliteProvider>;

public sealed class SqliteAnalysisSearchTests : AnalysisSearchContract<SqliteProvider>;

public sealed class SqliteAnalysisNameReplicationTests : AnalysisNameReplicationContract<SqliteProvider>;
