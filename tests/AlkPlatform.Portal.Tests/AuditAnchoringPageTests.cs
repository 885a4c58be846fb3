using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// The audit page's chain verification against its anchors: the signed events the portal stored, the approvals and live
/// pointers, and the signed events each configured recommendation service says it activated.
/// </summary>
public sealed class AuditAnchoringPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuditPage_AfterAPublish_ShowsTheChainAnchored_AndNoServiceConfigured()
    {
        await using var world = await PortalWorld.StartAsync();
        Publish(world);

        var html = await (await world.ClientFor(SignIn.User("otto.ops"))).GetStringAsync("/Audit", Ct);

        Assert.Contains("Chain verified", html, StringComparison.Ordinal);
        Assert.Contains("Chain anchored: the audit heads in all 2 signed feed events match the chain", html, StringComparison.Ordinal);
        Assert.Contains("No recommendation service is configured", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_ChainRewrittenWholesale_ShowsItAgainstTheStoredEventsAndAgainstWhatTheServiceHolds()
    {
        await using var service = await TestReleaseActivationService.StartAsync("ward-replica-1");
        await using var world = await PortalWorld.StartAsync(service.PortalSettings());
        var workflow = Publish(world);
        service.Held = [.. workflow.ListReleaseEvents().Select(e => e.Event)];
        var otto = await world.ClientFor(SignIn.User("otto.ops"));

        var before = await otto.GetStringAsync("/Audit", Ct);
        RewriteChain(world, e => e.Action == AuditActions.Published ? e with { ActorName = "Somebody Else" } : e);
        var after = await otto.GetStringAsync("/Audit", Ct);

        Assert.Contains($"ward-replica-1 ({service.Address})</strong>: holds 2 signed events; every audit head matches this chain", before, StringComparison.Ordinal);
        Assert.Contains("Chain verified", after, StringComparison.Ordinal);
        Assert.Contains("The chain does not match what anchors it", after, StringComparison.Ordinal);
        Assert.Contains("Signed release event 2 of &#x27;alk-lbcl&#x27;", after, StringComparison.Ordinal);
        Assert.Contains("the chain was rewritten after the event was signed", after, StringComparison.Ordinal);
        Assert.Contains($"ward-replica-1 ({service.Address})</strong>: holds 2 signed events that do not match this chain", after, StringComparison.Ordinal);
        Assert.Contains(", as the service holds it, was signed when audit entry", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_LivePointerChangedBySql_IsShown()
    {
        await using var world = await PortalWorld.StartAsync();
        var workflow = Publish(world);
        var seed = workflow.ListReleases("alk-lbcl")[0].ReleaseId;

        Sql(world, "UPDATE live_releases SET release_id = @seed", new { seed });
        var html = await (await world.ClientFor(SignIn.User("otto.ops"))).GetStringAsync("/Audit", Ct);

        Assert.Contains($"The live pointer of &#x27;alk-lbcl&#x27; names release {seed}", html, StringComparison.Ordinal);
        Assert.Contains("the pointer was changed outside the workflow", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_ApprovalWhoseAuditEntryWasDeleted_IsShown()
    {
        await using var world = await PortalWorld.StartAsync();
        var workflow = Publish(world);
        var ben = workflow.GetAuditTrail().Single(e => e.Action == AuditActions.Approved && e.ActorName == "Ben Approver");

        Sql(world, "DELETE FROM audit_entries WHERE sequence = @Sequence", new { ben.Sequence });
        var html = await (await world.ClientFor(SignIn.User("otto.ops"))).GetStringAsync("/Audit", Ct);

        Assert.Contains("by Ben Approver", html, StringComparison.Ordinal);
        Assert.Contains("has no matching &quot;approved&quot; entry in the audit chain", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_ServiceRefusingThePortalWithoutAToken_SaysItRefusedTheToken()
    {
        await using var service = await TestReleaseActivationService.StartAsync("ward-replica-1");
        var settings = service.PortalSettings();
        settings["RecommendationService:Scope"] = "";
        await using var world = await PortalWorld.StartAsync(settings);

        var html = await (await world.ClientFor(SignIn.User("otto.ops"))).GetStringAsync("/Audit", Ct);

        Assert.Contains($"The recommendation service at {service.Address} refused the portal&#x27;s app token", html, StringComparison.Ordinal);
    }

    private static GuidelineWorkflow Publish(PortalWorld world)
    {
        var workflow = world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var approved = BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { ChangeSummary = "Anchored change" });
        workflow.Publish(BoardMembers.Actor("pia.publisher"), "alk-lbcl", approved.Number, "Board approved the updated wording.");
        return workflow;
    }

    private static void Sql(PortalWorld world, string sql, object? parameters = null)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(world.Portal.DataDirectory, "content.db")};Pooling=False");
        connection.Open();
        connection.Execute(sql, parameters);
    }

    /// <summary>Edits entries in content.db, then recomputes every link, hash and the head, as a careful forger with the file would.</summary>
    private static void RewriteChain(PortalWorld world, Func<AuditEntry, AuditEntry> edit)
    {
        var previous = AuditTrail.GenesisHash;
        foreach (var original in world.Portal.Services.GetRequiredService<GuidelineWorkflow>().GetAuditTrail())
        {
            var entry = edit(original) with { PreviousHash = previous };
            entry = entry with { EntryHash = AuditTrail.ComputeHash(entry) };
            Sql(world, "UPDATE audit_entries SET actor_name = @ActorName, previous_hash = @PreviousHash, entry_hash = @EntryHash WHERE sequence = @Sequence", entry);
            previous = entry.EntryHash;
        }
        Sql(world, "UPDATE audit_head SET entry_hash = @previous", new { previous });
    }
}
