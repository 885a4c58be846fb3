using System.Net;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Questions;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// The lexicon and the question set through the portal's real forms: edited in the revision editor, shown in the diff,
/// reviewed, approved and published; and a change that breaks Ask's targets refused at publish.
/// </summary>
public sealed class LexiconPagesTests : IAsyncLifetime
{
    private const string Id = "alk-lbcl";
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    private GuidelineWorkflow Workflow => _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lexicon_EditedInTheEditor_RoundTripsThroughDiffReviewApprovalAndPublish()
    {
        var ada = await _world.ClientFor(SignIn.User("ada.author"));
        var history = await ada.GetStringAsync($"/Guidelines/History?id={Id}", Ct);
        var started = await ada.PostAsync($"/Guidelines/History?id={Id}&handler=StartDraft",
            SignIn.Form([new("__RequestVerificationToken", SignIn.AntiforgeryToken(history)), new("from", "1")]), Ct);
        var editUrl = started.Headers.Location!.ToString();
        var number = int.Parse(editUrl[(editUrl.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        // The editor: "posology" added to the dose concept's equivalent terms, as typed into the form.
        var editor = await ada.GetStringAsync(editUrl, Ct);
        var doseTerms = ConceptTermsField(editor, "dose");
        var fields = HtmlForm.Fields(editor, "editor");
        var terms = fields.Single(f => f.Key == doseTerms).Value;
        var saved = await ada.PostAsync($"{editUrl}&handler=Save", SignIn.Form(fields.With(doseTerms, terms + ", posology")), Ct);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("posology", Workflow.GetRevision(Id, number).Content.Lexicon!.Concepts.Single(c => c.Id == "dose").Terms);

        // The diff names the concept and shows the new term; the audit trail says what the save changed.
        var compare = await ada.GetStringAsync($"/Revisions/Compare?id={Id}&to={number}&live=true", Ct);
        Assert.Contains("<h2>Lexicon</h2>", compare, StringComparison.Ordinal);
        Assert.Contains("concept &#x27;dose&#x27;", compare, StringComparison.Ordinal);
        Assert.Contains("<ins>", compare, StringComparison.Ordinal);
        Assert.Contains("posology", compare, StringComparison.Ordinal);
        Assert.Contains(Workflow.GetAuditTrail(Id), e => e.Action == AuditActions.DraftSaved && e.RevisionNumber == number && e.Reason == "lexicon concept 'dose' modified");

        var submitPage = await ada.GetStringAsync($"/Revisions/Submit?id={Id}&n={number}", Ct);
        var submitted = await ada.PostAsync($"/Revisions/Submit?id={Id}&n={number}", SignIn.Form(HtmlForm.HiddenInputs(submitPage).DistinctBy(f => f.Key).ToList()), Ct);
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var hash = Workflow.GetRevision(Id, number).SubmittedHash!;

        var reviewUrl = $"/Reviews/Review?id={Id}&n={number}";
        var rui = await _world.ClientFor(SignIn.User("rui.reviewer"));
        Assert.Equal(HttpStatusCode.Redirect, (await rui.PostAsync($"{reviewUrl}&handler=StartReview",
            SignIn.Form([new("__RequestVerificationToken", SignIn.AntiforgeryToken(await rui.GetStringAsync(reviewUrl, Ct)))]), Ct)).StatusCode);
        foreach (var approver in new[] { "amira.approver", "ben.approver" })
        {
            var client = await _world.ClientFor(SignIn.User(approver));
            var approved = await client.PostAsync($"{reviewUrl}&handler=Approve", SignIn.Form([
                new("__RequestVerificationToken", SignIn.AntiforgeryToken(await client.GetStringAsync(reviewUrl, Ct))),
                new("approvedHash", hash), new("signatureMeaningConfirmed", "true")]), Ct);
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        }

        var pia = await _world.ClientFor(SignIn.User("pia.publisher"));
        var publishUrl = $"/Releases/Publish?id={Id}&n={number}";
        var publishPage = await pia.GetStringAsync(publishUrl, Ct);
        Assert.Contains("Ask meets every target", publishPage, StringComparison.Ordinal);
        var published = await pia.PostAsync(publishUrl, SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(publishPage)), new("Reason", "Adds posology as an equivalent of dose."), new("Confirmed", "true")]), Ct);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var live = Workflow.GetLiveRelease(Id)!;
        Assert.Equal(number, live.RevisionNumber);
        using var ask = new QuestionAnswerer(live.Verify());
        Assert.Equal("rr-alectinib-dose", ask.Ask("What is the posology of alectinib?").Hits[0].StatementId);
    }

    [Fact]
    public async Task Publish_ALexiconChangeThatBreaksTheQuestionSet_IsRefusedOnThePublishPage()
    {
        var approved = BoardMembers.ApprovedChange(Workflow, Id, c => c with { Lexicon = c.Lexicon! with { GenericWords = [] } });
        var pia = await _world.ClientFor(SignIn.User("pia.publisher"));
        var url = $"/Releases/Publish?id={Id}&n={approved.Number}";

        var page = await pia.GetStringAsync(url, Ct);
        var gate = new HtmlParser().ParseDocument(page).GetElementById("question-gate")!;
        Assert.Contains("notice bad", gate.ClassName, StringComparison.Ordinal);
        Assert.Contains("in-scope questions answered", gate.TextContent, StringComparison.Ordinal);

        var response = await pia.PostAsync(url, SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)), new("Reason", "Tidy the lexicon."), new("Confirmed", "true")]), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("frozen part: in-scope questions answered", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(1, Workflow.GetLiveRelease(Id)!.RevisionNumber);
    }

    [Fact]
    public async Task QuestionSetPage_ShowsEachOutcomeAndTheFigures_AndSavesANewQuestion()
    {
        var draft = Workflow.StartDraft(BoardMembers.Actor("ada.author"), Id, 1);
        var ada = await _world.ClientFor(SignIn.User("ada.author"));
        var url = $"/Revisions/Questions?id={Id}&n={draft.Number}";

        var page = await ada.GetStringAsync(url, Ct);
        var html = new HtmlParser().ParseDocument(page);
        Assert.Contains("Every target holds", html.GetElementById("question-problems")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("refused, not covered: &#x27;glofitamab&#x27;", page, StringComparison.Ordinal);
        Assert.Contains("Frozen part", html.GetElementById("figures")!.TextContent, StringComparison.Ordinal);

        var fields = HtmlForm.Fields(page, "questions");
        var count = SeedGuideline.Load().Questions!.Count;
        var saved = await ada.PostAsync($"{url}&handler=Save", SignIn.Form(fields
            .With($"Form.Questions[{count}].Text", "Is lorlatinib an option?")
            .With($"Form.Questions[{count}].Kind", nameof(QuestionKind.OutOfScope))
            .With($"Form.Questions[{count}].Expected", "lorlatinib")), Ct);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var content = Workflow.GetRevision(Id, draft.Number).Content;
        var added = content.Questions![^1];
        Assert.Equal(("question-1", "Is lorlatinib an option?", QuestionKind.OutOfScope, "lorlatinib", false), (added.Id, added.Text, added.Kind, added.UnknownTerm, added.Frozen));
        Assert.Equal(SeedGuideline.Load().Questions!.Where(q => q.Frozen).Select(q => q.Id), content.Questions.Where(q => q.Frozen).Select(q => q.Id));
    }

    [Fact]
    public async Task ImpactPage_LexiconChange_ListsTheQuestionsItAnswersDifferently()
    {
        var author = BoardMembers.Actor("ada.author");
        var draft = Workflow.StartDraft(author, Id, 1);
        Workflow.SaveDraft(author, Id, draft.Number, draft.Content with
        {
            Lexicon = draft.Content.Lexicon! with { GenericWords = [.. draft.Content.Lexicon.GenericWords.Where(w => w is not ("add" or "adds" or "added" or "adding"))] },
        }, draft.SaveNumber);
        var rui = await _world.ClientFor(SignIn.User("rui.reviewer"));

        var page = await rui.GetStringAsync($"/Revisions/Impact?id={Id}&n={draft.Number}", Ct);

        var row = new HtmlParser().ParseDocument(page).GetElementById("question-change-in-frontline-consider-alk-inhibitor-t2")!;
        Assert.Contains("Should an ALK inhibitor be added to first-line therapy?", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("refused, not covered: 'added'", row.TextContent, StringComparison.Ordinal);
    }

    /// <summary>The name of the editor's terms field for a concept.</summary>
    private static string ConceptTermsField(string editor, string conceptId)
    {
        var row = new HtmlParser().ParseDocument(editor).GetElementById($"concept-{conceptId}");
        Assert.True(row is not null, $"no row for concept {conceptId}");
        return row.QuerySelector("textarea")!.GetAttribute("name")!;
    }
}
