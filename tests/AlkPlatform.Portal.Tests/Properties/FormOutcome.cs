using System.Net;

namespace AlkPlatform.Portal.Tests.Properties;

/// <summary>How a generated form post may end: never a server error, and a refusal (4xx) that says why on the page.</summary>
internal static class FormOutcome
{
    /// <summary>
    /// The response's status, as <see cref="HttpStatusCode.Redirect"/> only for a post the page accepted (a redirect to the
    /// sign-in or access-denied page is a refusal, reported as 403), and its body.
    /// </summary>
    public static async Task<(HttpStatusCode Status, string Body)> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode < 500, $"HTTP {(int)response.StatusCode} for a generated post: {Snippet(body)}");
        var refusedBySignIn = response.StatusCode == HttpStatusCode.Redirect
            && response.Headers.Location?.OriginalString.Contains("/Account/", StringComparison.Ordinal) == true;
        return (refusedBySignIn ? HttpStatusCode.Forbidden : response.StatusCode, body);
    }

    /// <summary>
    /// A refusal rendered as a page explains itself beside the form (role="alert"); a bare 4xx status page is not enough.
    /// The one bare 400 allowed is ASP.NET Core's own, for a form holding a NUL character, which it will not read at all.
    /// </summary>
    public static void AssertExplained(HttpStatusCode status, string body, IEnumerable<KeyValuePair<string, string>> posted)
    {
        if (status == HttpStatusCode.BadRequest && body.Length == 0)
        {
            Assert.True(posted.Any(f => f.Key.Contains('\0', StringComparison.Ordinal) || f.Value.Contains('\0', StringComparison.Ordinal)),
                "HTTP 400 with no explanation for a form the framework can read");
            return;
        }
        if ((int)status >= 400 && status is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.MethodNotAllowed))
        {
            Assert.True(body.Contains("role=\"alert\"", StringComparison.Ordinal), $"HTTP {(int)status} without a message saying why: {Snippet(body)}");
        }
    }

    private static string Snippet(string body) => body.Length <= 1500 ? body : body[..1500] + "…";
}
