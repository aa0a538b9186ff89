using Microsoft.AspNetCore.Builder;

namespace GhidraInsight.Http.Hosting;

/// <summary>Cleaning up after a host that failed to start.</summary>
public static class HostStart
{
    /// <summary>
    /// Stops and disposes <paramref name="app"/> after its start failed (a port in use, a certificate that would not load). Its
    /// background services start before its server binds; disposing without stopping would cancel them unasked, and the host
    /// would log that as a crash, stack trace and all, above the one line that says what went wrong. The start's failure is the
    /// one the caller reports, so a failure to stop is not added to it.
    /// </summary>
    public static async Task StopAfterFailedStartAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
        }

        await app.DisposeAsync().ConfigureAwait(false);
    }
}
