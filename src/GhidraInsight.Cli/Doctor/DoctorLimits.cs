namespace GhidraInsight.Cli.Doctor;

/// <summary>Where doctor draws the line: replication lag and pending entries per target, and free space as a multiple of the reserve.</summary>
internal sealed record DoctorLimits(double MaxLagMs = 1000, long MaxPending = 10_000, double FreeOverReserve = 2);
