using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AlkPlatform.Testing;

/// <summary>
/// The headers a caller of the recommendation service sends on every call, added by a client interceptor: the client
/// app that the evaluation log records as the caller, and the ops key the ops API requires.
/// </summary>
public static class CallerHeaders
{
    public const string ClientApp = "x-client-app";
    public const string OpsApiKey = "x-ops-api-key";

    /// <summary>Calls over <paramref name="channel"/> that identify themselves as <paramref name="clientApp"/>.</summary>
    public static CallInvoker AsClientApp(this ChannelBase channel, string clientApp)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.Intercept(metadata =>
        {
            metadata.Add(ClientApp, clientApp);
            return metadata;
        });
    }

    /// <summary>Calls over <paramref name="channel"/> that carry the ops key, or no key at all for null.</summary>
    public static CallInvoker WithOpsApiKey(this ChannelBase channel, string? key)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.Intercept(metadata =>
        {
            if (key is not null)
            {
                metadata.Add(OpsApiKey, key);
            }
            return metadata;
        });
    }
}
