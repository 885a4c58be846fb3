using System.Globalization;
using System.Net;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests.Properties;

/// <summary>
/// Generated posts of the publish and rollback forms (/Releases/Publish, /Releases/Rollback) by a publisher, an ops user
/// and an author, with real and forged revision numbers, reasons and confirmations, each against a freshly approved
/// revision. Never a server error; a refusal explains itself and leaves the live release as it was; an accepted post
/// makes exactly the revision it named live, and only when it was confirmed with a reason.
/// </summary>
[Trait(PropertyRuns.Trait, PropertyRuns.Category)]
public sealed class ReleaseFormProperties : IAsyncLifetime
{
    private const string Approved = "{approved}", Superseded = "{superseded}";
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    private GuidelineWorkflow Workflow => _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();

    private static readonly Gen<string> Reason = Gen.Frequency((3, Gen.Const("Quorum reached; scenarios pass.")), (2, FormPosts.Value));

    private static readonly Gen<string> Confirmed = Gen.Frequency((3, Gen.Const("true")), (1, FormPosts.Value));

    private static readonly Gen<(string Page, string Number, KeyValuePair<string, string>[] Fields)> Post = Gen.Frequency(
        (3, Gen.Select(Gen.Frequency((4, Gen.Const(Approved)), (1, Gen.OneOf("1", Superseded, "0", "-1", "9999", "x"))), Reason, Confirmed,
            (n, reason, confirmed) => ("Publish", n, new KeyValuePair<string, string>[] { new("Reason", reason), new("Confirmed", confirmed) }))),
        (2, Gen.Select(Gen.Frequency((3, Gen.Const(Superseded)), (1, Gen.OneOf(Approved, "1", "9999", "", "x"))), Reason, Confirmed,
            (n, reason, confirmed) => ("Rollback", "", new KeyValuePair<string, string>[] { new("ToRevision", n), new("Reason", reason), new("Confirmed", confirmed) }))));

    private static readonly Gen<string> Who = Gen.Frequency((4, Gen.Const("pia.publisher")), (1, Gen.OneOf("otto.ops", "ada.author")));

    [Fact]
    public async Task ReleasePosts_Generated_NeverAServerErrorAndOnlyAConfirmedReasonedPostChangesWhatIsLive()
    {
        var ct = TestContext.Current.CancellationToken;
        var firstRelease = BoardMembers.ApprovedChange(Workflow, "alk-lbcl", c => c with { ChangeSummary = "First board release" });
        Workflow.Publish(BoardMembers.Actor("pia.publisher"), "alk-lbcl", firstRelease.Number, "The board's first release.");

        await PropertyRuns.CheckAsync(nameof(ReleasePosts_Generated_NeverAServerErrorAndOnlyAConfirmedReasonedPostChangesWhatIsLive), Gen.Select(Post, Who), async c =>
        {
            var ((page, number, postFields), who) = c;
            // A fresh approved revision per case, so there is always one to publish and a superseded one to roll back to.
            var approved = BoardMembers.ApprovedChange(Workflow, "alk-lbcl", content => content with { ChangeSummary = "A generated case" });
            var superseded = Workflow.ListRevisions("alk-lbcl").Where(r => r.State == RevisionState.Superseded).Max(r => r.Number);
            string Fill(string value) => value
                .Replace(Approved, approved.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace(Superseded, superseded.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var client = await _world.ClientFor(SignIn.User(who));
            var token = SignIn.AntiforgeryToken(await client.GetStringAsync("/Account/SignOut", ct));
            List<KeyValuePair<string, string>> fields = [new(FormEdit.AntiforgeryField, token), .. postFields.Select(f => new KeyValuePair<string, string>(f.Key, Fill(f.Value)))];
            var url = page == "Publish" ? $"/Releases/Publish?id=alk-lbcl&n={Uri.EscapeDataString(Fill(number))}" : "/Releases/Rollback?id=alk-lbcl";
            var liveBefore = Workflow.GetLiveRelease("alk-lbcl")!;

            var (status, body) = await FormOutcome.ReadAsync(await client.PostAsync(url, SignIn.Form(fields), ct));

            var liveAfter = Workflow.GetLiveRelease("alk-lbcl")!;
            if (status != HttpStatusCode.Redirect)
            {
                FormOutcome.AssertExplained(status, body, fields);
                Assert.Equal(liveBefore.ReleaseId, liveAfter.ReleaseId);
                return;
            }
            var byName = fields.ToLookup(f => f.Key);
            var target = page == "Publish" ? Fill(number) : byName["ToRevision"].First().Value;
            Assert.Equal(target, liveAfter.RevisionNumber.ToString(CultureInfo.InvariantCulture));
            Assert.True(bool.TryParse(byName["Confirmed"].First().Value, out var confirmed) && confirmed, "made live without the confirmation ticked");
            Assert.False(string.IsNullOrWhiteSpace(byName["Reason"].First().Value), "made live without a reason");
        }, costly: true);
    }
}
