using System.Diagnostics.Metrics;

namespace AlkPlatform.Testing;

/// <summary>
/// A meter factory no host owns, for the back-channel handlers test hosts share: Microsoft.Identity.Web caches its issuer
/// validator's HttpClient process-wide, so a handler set up with the first host's meter factory fails with
/// ObjectDisposedException in every later host once that first host is disposed (IHttpClientFactory only fills in a
/// meter factory the handler does not already have).
/// </summary>
public sealed class ProcessMeterFactory : IMeterFactory
{
    public static ProcessMeterFactory Instance { get; } = new();

    private ProcessMeterFactory()
    {
    }

    public Meter Create(MeterOptions options) => new(options);

    // Lives as long as the test process; meters it made are collected with it.
    public void Dispose()
    {
    }
}
