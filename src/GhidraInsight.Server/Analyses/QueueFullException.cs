namespace GhidraInsight.Server.Analyses;

/// <summary>Every analysis slot and queue place is taken.</summary>
internal sealed class QueueFullException() : Exception("the analysis queue is full");
