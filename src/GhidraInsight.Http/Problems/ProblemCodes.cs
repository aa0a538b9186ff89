namespace GhidraInsight.Http.Problems;

/// <summary>The stable <c>code</c> of every problem response. Clients may switch on these; they never change meaning.</summary>
public static class ProblemCodes
{
    public const string BadInput = "BAD_INPUT";
    public const string EmptyBody = "EMPTY_BODY";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string FileTooLarge = "FILE_TOO_LARGE";
    public const string NotFound = "NOT_FOUND";
    public const string VersionConflict = "VERSION_CONFLICT";
    public const string PreconditionFailed = "PRECONDITION_FAILED";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string RateLimited = "RATE_LIMITED";
    public const string Busy = "BUSY";
    public const string Timeout = "TIMEOUT";
    public const string StorageUnavailable = "STORAGE_UNAVAILABLE";
    public const string StorageFull = "STORAGE_FULL";
    public const string PrimaryUnavailable = "PRIMARY_UNAVAILABLE";
    public const string RegionUnauthorized = "REGION_UNAUTHORIZED";
    public const string NotReplicated = "NOT_REPLICATED";
    public const string UnknownRegion = "UNKNOWN_REGION";
    public const string NoLeader = "NO_LEADER";
    public const string TargetUnreachable = "TARGET_UNREACHABLE";
    public const string FailoverUnavailable = "FAILOVER_UNAVAILABLE";
    public const string SwitchoverTimeout = "SWITCHOVER_TIMEOUT";
    public const string SwitchoverSuperseded = "SWITCHOVER_SUPERSEDED";
    public const string NoRegionAvailable = "NO_REGION_AVAILABLE";
    public const string Internal = "INTERNAL";
}
