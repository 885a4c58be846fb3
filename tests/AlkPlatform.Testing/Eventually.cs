using Grpc.Core;

namespace AlkPlatform.Testing;

/// <summary>
/// Polling for what another host does on its own time (a release arriving over the feed, a replica noticing the portal
/// went away): read until the value is the awaited one or a deadline passes, then hand the last value back for the test
/// to assert on, so a timeout fails with what was seen rather than with a bare "timed out".
/// </summary>
public static class Eventually
{
    /// <summary>Long enough for a slow start on a loaded machine; a test that passes waits only as long as it must.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Reads until <paramref name="done"/> holds or <paramref name="within"/> (30 s by default) has passed, and returns the
    /// last value read. An Unavailable answer before the deadline counts as "not yet": nothing is served until a release arrives.
    /// </summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, CancellationToken cancellationToken, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + (within ?? DefaultTimeout);
        while (true)
        {
            try
            {
                var value = await read();
                if (done(value) || DateTime.UtcNow > deadline)
                {
                    return value;
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && DateTime.UtcNow <= deadline)
            {
                // Nothing served yet.
            }
            await Task.Delay(Interval, cancellationToken);
        }
    }
}
