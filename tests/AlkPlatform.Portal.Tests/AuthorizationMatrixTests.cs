using System.Net;
using AlkPlatform.LocalIdentity.Provider;
using AlkPlatform.Portal.Tests.Infrastructure;

namespace AlkPlatform.Portal.Tests;

/// <summary>Every page and handler × every demo user × anonymous: allowed or refused, as designed (the table below is the design).</summary>
public sealed class AuthorizationMatrixTests(PortalWorld world) : IClassFixture<PortalWorld>
{
    private const string Id = "alk-lbcl";
    private static readonly string[] Everyone = ["ada", "rui", "amira", "ben", "pia", "otto", "alex", "nora", "anonymous"];
    private static readonly string[] Board = ["ada", "rui", "amira", "ben", "pia", "otto", "alex"];
    private static readonly string[] Editors = ["ada", "alex"];
    private static readonly string[] Reviewers = ["ada", "rui", "amira", "ben", "alex"];
    // The workflow lets only reviewers and approvers (not admins) start a review or request changes; the domain refuses with 403.
    private static readonly string[] ReviewDeciders = ["ada", "rui", "amira", "ben"];
    private static readonly string[] Approvers = ["ada", "amira", "ben"];
    private static readonly string[] Publishers = ["pia", "alex"];
    private static readonly string[] RollingBack = ["pia", "otto", "alex"];
    private static readonly string[] Retiring = ["otto", "alex"];
    private static readonly string[] Auditors = ["ada", "amira", "ben", "pia", "otto", "alex"];
    private static readonly string[] Operators = ["otto", "alex"];

    /// <summary>(method, path, handler form fields, who may use it).</summary>
    private static readonly (string Method, string Path, string[] Allowed)[] Endpoints =
    [
        ("GET", "/", Board),
        ("GET", "/Guidelines", Board),
        ("GET", $"/Guidelines/History?id={Id}", Board),
        ("POST", $"/Guidelines/History?id={Id}&handler=StartDraft", Editors),
        ("GET", $"/Revisions/Edit?id={Id}&n=1", Editors),
        ("POST", $"/Revisions/Edit?id={Id}&n=1&handler=Save", Editors),
        ("POST", $"/Revisions/Edit?id={Id}&n=1&handler=Revise", Editors),
        ("POST", $"/Revisions/Edit?id={Id}&n=1&handler=Preview", Editors),
        ("POST", $"/Revisions/Edit?id={Id}&n=1&handler=AddStatement&sectionId=summary", Editors),
        ("POST", $"/Revisions/Edit?id={Id}&n=1&handler=RemoveStatement&statementId=lead-alk-inhibitors-effective", Editors),
        ("POST", $"/Revisions/Edit?id={Id}&n=1&handler=AddSection", Editors),
        ("POST", $"/Revisions/Edit?id={Id}&n=1&handler=RemoveSection&sectionId=summary", Editors),
        ("GET", $"/Revisions/Submit?id={Id}&n=1", Editors),
        ("POST", $"/Revisions/Submit?id={Id}&n=1", Editors),
        ("GET", $"/Revisions/Preview?id={Id}&n=1", Board),
        ("GET", $"/Revisions/Compare?id={Id}&to=1&live=true", Board),
        ("GET", $"/Revisions/Impact?id={Id}&n=1", Board),
        ("GET", $"/Revisions/Questions?id={Id}&n=1", Board),
        // The board reads the question set; saving it is the domain's SaveDraft (authors and admins; revision 1 is live, so 409).
        ("POST", $"/Revisions/Questions?id={Id}&n=1&handler=Save", Editors),
        ("GET", "/Reviews", Reviewers),
        ("GET", $"/Reviews/Review?id={Id}&n=1", Reviewers),
        ("POST", $"/Reviews/Review?id={Id}&n=1&handler=StartReview", ReviewDeciders),
        ("POST", $"/Reviews/Review?id={Id}&n=1&handler=Comment", Reviewers),
        ("POST", $"/Reviews/Review?id={Id}&n=1&handler=RequestChanges", ReviewDeciders),
        ("POST", $"/Reviews/Review?id={Id}&n=1&handler=Resolve", Reviewers),
        ("POST", $"/Reviews/Review?id={Id}&n=1&handler=Approve", Approvers),
        ("GET", $"/Releases/Publish?id={Id}&n=1", Publishers),
        ("POST", $"/Releases/Publish?id={Id}&n=1", Publishers),
        ("GET", $"/Releases/Rollback?id={Id}", RollingBack),
        ("POST", $"/Releases/Rollback?id={Id}", RollingBack),
        ("GET", $"/Releases/Retire?id={Id}", Retiring),
        ("POST", $"/Releases/Retire?id={Id}", Retiring),
        ("GET", "/Audit", Auditors),
        ("GET", "/Ops", Operators),
        ("GET", "/Ops/Logs?caller=x", Operators),
        ("GET", "/Ops/Evaluation?id=x", Operators),
        ("POST", "/Ops/Evaluation?id=x&handler=Replay", Operators),
        ("GET", "/Ops/Charts", Operators),
        ("GET", "/Ops/Export", Operators),
        ("GET", "/Ops/Export?handler=Download&format=csv", Operators),
        ("GET", "/Ops/Abstentions", Operators),
        ("GET", "/Account/SignIn", Everyone),
        ("GET", "/Account/AccessDenied", Everyone),
        ("GET", "/Account/SignedOut", Everyone),
    ];

    public static TheoryData<string, string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var (method, path, allowed) in Endpoints)
        {
            foreach (var who in Everyone)
            {
                data.Add(method, path, who, allowed.Contains(who));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_ForEachPrincipal_IsAllowedOrRefusedAsDesigned(string method, string path, string who, bool allowed)
    {
        var ct = TestContext.Current.CancellationToken;
        var user = who == "anonymous" ? null : DemoUsers.All.Single(u => u.PreferredUsername.StartsWith(who + ".", StringComparison.Ordinal));
        var client = await world.ClientFor(user);
        HttpResponseMessage response;
        if (method == "GET")
        {
            response = await client.GetAsync(path, ct);
        }
        else
        {
            // A real form post: the antiforgery token for this user, and no confirmation, so an allowed action is refused by its gate.
            var tokenPage = await client.GetStringAsync("/Account/SignOut", ct);
            response = await client.PostAsync(path, SignIn.Form([new("__RequestVerificationToken", SignIn.AntiforgeryToken(tokenPage)), new("from", "1"), new("commentId", "1")]), ct);
        }

        var location = response.Headers.Location?.ToString() ?? "";
        var refused = response.StatusCode == HttpStatusCode.Forbidden
            || (response.StatusCode == HttpStatusCode.Redirect && (location.Contains("/Account/SignIn", StringComparison.Ordinal) || location.Contains("/Account/AccessDenied", StringComparison.Ordinal)));
        Assert.True(allowed != refused, $"{method} {path} as {who}: expected {(allowed ? "allowed" : "refused")}, got {(int)response.StatusCode} {location}");
        if (!allowed && who == "anonymous")
        {
            Assert.Contains("/Account/SignIn", location, StringComparison.Ordinal);
        }
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
