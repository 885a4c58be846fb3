using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Portal.Workflow;

/// <summary>The portal owns the content database; one workflow instance serialises releases and feeds the release feed.</summary>
public static class WorkflowServices
{
    public static WebApplicationBuilder AddGuidelineWorkflow(this WebApplicationBuilder builder)
    {
        var dataDirectory = builder.Configuration["Portal:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.Environment.ContentRootPath, "data");
        var quorum = builder.Configuration.GetValue("Portal:ApprovalQuorum", 2);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services =>
        {
            Directory.CreateDirectory(dataDirectory);
            return GuidelineWorkflow.Open(Path.Combine(dataDirectory, "content.db"), services.GetRequiredService<TimeProvider>(),
                new WorkflowOptions { ApprovalQuorum = quorum });
        });
        return builder;
    }
}
