using System.Globalization;
using System.Net;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests.Properties;

/// <summary>
/// Generated posts of the review page (/Reviews/Review): start the review, comment and reply, request changes, resolve,
/// approve, by the reviewer, an approver, the author and a publisher, with real and forged ids, hashes and confirmations,
/// each on a freshly submitted revision. Never a server error; a refusal explains itself and changes nothing; an accepted
/// post makes exactly its one change, and an approval is recorded only for the hash shown with the meaning confirmed.
/// </summary>
[Trait(PropertyRuns.Trait, PropertyRuns.Category)]
public sealed class ReviewFormProperties : IAsyncLifetime
{
    private const string Hash = "{hash}", Comment = "{comment}";
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    private GuidelineWorkflow Workflow => _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();

    private static readonly Gen<string> StatementId = Gen.Frequency(
        (3, Gen.Const("")), (3, Gen.OneOf([.. SeedGuideline.Load().AllStatements().Select(s => s.Id)])), (1, GeneratedText.Any(200)));

    private static readonly Gen<string> CommentId = Gen.Frequency((3, Gen.Const(Comment)), (1, FormPosts.Value));

    private static readonly Gen<(string Handler, KeyValuePair<string, string>[] Fields)> Post = Gen.Frequency(
        (2, Gen.Const(("StartReview", Array.Empty<KeyValuePair<string, string>>()))),
        (3, Gen.Select(StatementId, FormPosts.Value, Gen.Frequency((2, Gen.Const("")), (1, CommentId)), (statement, text, reply) =>
            ("Comment", new KeyValuePair<string, string>[] { new("statementId", statement), new("text", text), new("replyTo", reply) }))),
        (2, Gen.Select(StatementId, FormPosts.Value, (statement, text) =>
            ("RequestChanges", new KeyValuePair<string, string>[] { new("statementId", statement), new("text", text) }))),
        (1, CommentId.Select(id => ("Resolve", new KeyValuePair<string, string>[] { new("commentId", id) }))),
        (3, Gen.Select(Gen.Frequency((3, Gen.Const(Hash)), (1, FormPosts.Value)), Gen.Frequency((3, Gen.Const("true")), (1, FormPosts.Value)), Gen.Bool,
            (hash, confirmed, sendConfirmation) => ("Approve", sendConfirmation
                ? new KeyValuePair<string, string>[] { new("approvedHash", hash), new("signatureMeaningConfirmed", confirmed) }
                : [new("approvedHash", hash)]))));

    private static readonly Gen<string> Who = Gen.Frequency((3, Gen.Const("rui.reviewer")), (3, Gen.Const("amira.approver")), (1, Gen.OneOf("ada.author", "pia.publisher")));

    private readonly record struct ReviewState(RevisionState State, int Comments, int Resolved, int Approvals);

    [Fact]
    public async Task ReviewPosts_Generated_NeverAServerErrorAndEachAcceptedPostMakesExactlyItsChange()
    {
        var ct = TestContext.Current.CancellationToken;
        var ada = BoardMembers.Actor("ada.author");
        var rui = BoardMembers.Actor("rui.reviewer");
        var live = Workflow.GetLiveRelease("alk-lbcl")!.ContentHash;

        await PropertyRuns.CheckAsync(nameof(ReviewPosts_Generated_NeverAServerErrorAndEachAcceptedPostMakesExactlyItsChange), Gen.Select(Post, Who, Gen.Bool), async c =>
        {
            var (post, who, inReview) = c;
            // A fresh revision per case, submitted and perhaps under review with one comment, so each case stands alone.
            var draft = Workflow.StartDraft(ada, "alk-lbcl", 1);
            var submitted = Workflow.Submit(ada, "alk-lbcl", draft.Number, draft.SaveNumber);
            var comment = "0";
            if (inReview)
            {
                Workflow.StartReview(rui, "alk-lbcl", draft.Number);
                comment = Workflow.AddComment(rui, "alk-lbcl", draft.Number, "Is the 35 kg threshold from the ALCL trial?").Id.ToString(CultureInfo.InvariantCulture);
            }
            var client = await _world.ClientFor(SignIn.User(who));
            var url = $"/Reviews/Review?id=alk-lbcl&n={draft.Number}";
            // From a page every signed-in user may open: the token belongs to the user's session, not to a page.
            var token = SignIn.AntiforgeryToken(await client.GetStringAsync("/Account/SignOut", ct));
            List<KeyValuePair<string, string>> fields = [new(FormEdit.AntiforgeryField, token), .. post.Fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value.Replace(Hash, submitted.SubmittedHash, StringComparison.Ordinal).Replace(Comment, comment, StringComparison.Ordinal)))];
            var before = Snapshot(draft.Number);

            var (status, body) = await FormOutcome.ReadAsync(await client.PostAsync($"{url}&handler={post.Handler}", SignIn.Form(fields), ct));

            var after = Snapshot(draft.Number);
            if (status != HttpStatusCode.Redirect)
            {
                FormOutcome.AssertExplained(status, body, fields);
                Assert.Equal(before, after);
                return;
            }
            var expected = post.Handler switch
            {
                "StartReview" => before with { State = RevisionState.UnderReview },
                "Comment" => before with { Comments = before.Comments + 1 },
                "RequestChanges" => before with { State = RevisionState.ChangesRequested, Comments = before.Comments + 1 },
                "Resolve" => before with { Resolved = before.Resolved + 1 },
                _ => before with { Approvals = before.Approvals + 1, State = after.State },
            };
            Assert.Equal(expected, after);
            if (post.Handler == "Approve")
            {
                var fieldsByName = fields.ToLookup(f => f.Key);
                Assert.Equal(submitted.SubmittedHash, Assert.Single(Workflow.GetApprovals("alk-lbcl", draft.Number)).ContentHash);
                Assert.True(bool.TryParse(fieldsByName["signatureMeaningConfirmed"].FirstOrDefault().Value, out var confirmed) && confirmed, "approved without confirming the signature's meaning");
            }
            Assert.Equal(live, Workflow.GetLiveRelease("alk-lbcl")!.ContentHash);
        }, costly: true);
    }

    private ReviewState Snapshot(int number)
    {
        var comments = Workflow.GetComments("alk-lbcl", number);
        return new(Workflow.GetRevision("alk-lbcl", number).State, comments.Count, comments.Count(c => c.IsResolved), Workflow.GetApprovals("alk-lbcl", number).Count);
    }
}
