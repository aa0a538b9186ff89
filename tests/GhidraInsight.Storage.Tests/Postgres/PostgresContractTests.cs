using GhidraInsight.Storage.Tests.Contract;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Postgres;

// The PostgreSQL store runs every contract of the domain store and the change feed. The replication contracts are the
// embedded store's only: in this mode PostgreSQL's streaming replication carries the data between regions.
public sealed class PostgresAnalysisStorageTests : AnalysisStorageContract<PostgresProvider>;

public sealed class PostgresAnnotationTests : AnnotationContract<PostgresProvider>;

public sealed class PostgresAnnotationPagingTests : AnnotationPagingContract<PostgresProvider>;

public sealed class PostgresBinaryStorageTests : BinaryStorageContract<PostgresProvider>;

public sealed class PostgresWriteEpochTests : WriteEpochContract<PostgresProvider>;

public sealed class PostgresChangeFeedTests : ChangeFeedContract<PostgresProvider>;

public sealed class PostgresAuditTrailTests : AuditTrailContract<PostgresProvider>;

public sealed class PostgresReanalysisTests : ReanalysisContract<PostgresProvider>;

public sealed class PostgresAnalysisNameTests : AnalysisNameContract<PostgresProvider>;

public sealed class PostgresAnalysisSearchTests : AnalysisSearchContract<PostgresProvider>;
