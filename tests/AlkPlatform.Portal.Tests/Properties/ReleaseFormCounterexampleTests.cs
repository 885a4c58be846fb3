using System.Net;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests.Properties;

/// <summary>
/// The release-form post the property shrank to, pinned: a confirmation that is not a boolean ("Known") was refused, then
/// re-rendering the checkbox from the attempted value threw FormatException, an HTTP 500, on publish, rollback and retire.
/// </summary>
public sealed class ReleaseFormCounterexampleTests : IAsyncLifetime
{
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task PublishRollbackAndRetire_ConfirmationThatIsNotABoolean_IsRefusedWithItsMessageAndNothingChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var first = BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { ChangeSummary = "First board release" });
        workflow.Publish(BoardMembers.Actor("pia.publisher"), "alk-lbcl", first.Number, "The board's first release.");
        var approved = BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { ChangeSummary = "Second board release" });
        var live = workflow.GetLiveRelease("alk-lbcl")!.ReleaseId;

        foreach (var (who, url, number) in new[]
        {
            ("pia.publisher", $"/Releases/Publish?id=alk-lbcl&n={approved.Number}", (string?)null),
            ("pia.publisher", "/Releases/Rollback?id=alk-lbcl", "1"),
            ("otto.ops", "/Releases/Retire?id=alk-lbcl", null),
        })
        {
            var client = await _world.ClientFor(SignIn.User(who));
            List<KeyValuePair<string, string>> fields =
                [new("__RequestVerificationToken", SignIn.AntiforgeryToken(await client.GetStringAsync(url, ct))), new("Reason", "-1"), new("Confirmed", "Known")];
            if (number is not null)
            {
                fields.Add(new("ToRevision", number));
            }

            var response = await client.PostAsync(url, SignIn.Form(fields), ct);

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("role=\"alert\"", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            Assert.Equal(live, workflow.GetLiveRelease("alk-lbcl")!.ReleaseId);
        }
    }
}
