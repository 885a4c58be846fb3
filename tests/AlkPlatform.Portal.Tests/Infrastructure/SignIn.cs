using System.Net;
using AlkPlatform.LocalIdentity.Provider;
using AlkPlatform.Testing;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>Signs a demo user into the portal through the real OpenID Connect handler and the local provider, hop by hop.</summary>
public static class SignIn
{
    public static DemoUser User(string preferredUsernamePrefix) =>
        DemoUsers.All.Single(u => u.PreferredUsername.StartsWith(preferredUsernamePrefix + "@", StringComparison.Ordinal));

    public static Task<HttpClient> AsAsync(PortalHost portal, DemoUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(portal);
        return AsAsync(portal.CreatePortalClient(), user, portal.Identity, cancellationToken);
    }

    /// <summary>
    /// Signs in on <paramref name="client"/> (cookies kept, redirects not followed, the portal as its base address) at
    /// <paramref name="identity"/>, whose certificate the "browser" here trusts.
    /// </summary>
    public static Task<HttpClient> AsAsync(HttpClient client, DemoUser user, LocalIdentityHost identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return AsAsync(client, user, identity.CreateTrustingHandler, cancellationToken);
    }

    /// <param name="identityHandler">Makes the "browser's" handler for the provider's origin, trusting its certificate.</param>
    public static async Task<HttpClient> AsAsync(HttpClient client, DemoUser user, Func<HttpMessageHandler> identityHandler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityHandler);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(user);
        // Our sign-in page: a real form with its antiforgery token.
        var signInPage = await client.GetStringAsync("/Account/SignIn?returnUrl=%2F", cancellationToken);
        var challenge = await client.PostAsync("/Account/SignIn", Form(HtmlForm.HiddenInputs(signInPage)), cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorizeUrl = challenge.Headers.Location!;

        // The provider's "pick a demo user" page, on its own origin with its own cookies.
        using var handler = identityHandler();
        ((SocketsHttpHandler)handler).AllowAutoRedirect = false;
        using var identityClient = new HttpClient(handler);
        var picker = await identityClient.GetStringAsync(authorizeUrl, cancellationToken);
        var fields = HtmlForm.HiddenInputs(picker);
        fields.Add(new(SignInEndpoints.UserField, user.ObjectId));
        var authorized = await identityClient.PostAsync(authorizeUrl, Form(fields), cancellationToken);
        var formPost = await authorized.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(authorized.IsSuccessStatusCode, formPost);

        // form_post response: the browser would auto-submit this form to the portal's /signin-oidc.
        var action = HtmlForm.Action(formPost);
        var callback = await client.PostAsync(action.PathAndQuery, Form(HtmlForm.HiddenInputs(formPost)), cancellationToken);
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, await callback.Content.ReadAsStringAsync(cancellationToken));
        return client;
    }

    public static string AntiforgeryToken(string html) =>
        HtmlForm.HiddenInputs(html).First(f => f.Key == "__RequestVerificationToken").Value;

    public static FormUrlEncodedContent Form(IEnumerable<KeyValuePair<string, string>> fields) => new(fields);
}
