using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Portal.Workflow;

/// <summary>The portal owns the content database; one workflow instance serialises releases, signs them and feeds the release feed.</summary>
public static class WorkflowServices
{
    public static WebApplicationBuilder AddGuidelineWorkflow(this WebApplicationBuilder builder)
    {
        var dataDirectory = DataDirectory(builder);
        var quorum = builder.Configuration.GetValue("Portal:ApprovalQuorum", 2);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services =>
        {
            Directory.CreateDirectory(dataDirectory);
            return GuidelineWorkflow.Open(Path.Combine(dataDirectory, "content.db"), services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<IReleaseEventSigner>(), new WorkflowOptions { ApprovalQuorum = quorum },
                services.GetRequiredService<TrustedReleaseKeys>());
        });
        return builder;
    }

    /// <summary><c>Portal:DataDirectory</c>, or <c>data</c> under the content root: where content.db (and a development signing key) live.</summary>
    public static string DataDirectory(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Configuration["Portal:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.Environment.ContentRootPath, "data");
    }
}
