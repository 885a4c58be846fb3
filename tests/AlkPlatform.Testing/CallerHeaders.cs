using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AlkPlatform.Testing;

/// <summary>
/// The headers a caller of the recommendation service sends on every call, added by a client interceptor: the bearer app
/// token that proves which app calls, and the <c>x-client-app</c> label it may add (logged as a claim, never trusted).
/// </summary>
public static class CallerHeaders
{
    public const string ClientApp = "x-client-app";
    public const string Authorization = "authorization";

    /// <summary>Calls over <paramref name="channel"/> that only say they are <paramref name="clientApp"/>, with no token.</summary>
    public static CallInvoker AsClientApp(this ChannelBase channel, string clientApp) => channel.WithBearer(null, clientApp);

    /// <summary>
    /// Calls carrying <c>authorization: Bearer</c> with the token <paramref name="token"/> gives at each call (none for null),
    /// and the claimed label <paramref name="clientApp"/> if given.
    /// </summary>
    public static CallInvoker WithBearer(this ChannelBase channel, Func<string>? token, string? clientApp = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.Intercept(metadata =>
        {
            if (token is not null)
            {
                metadata.Add(Authorization, "Bearer " + token());
            }
            if (clientApp is not null)
            {
                metadata.Add(ClientApp, clientApp);
            }
            return metadata;
        });
    }
}
