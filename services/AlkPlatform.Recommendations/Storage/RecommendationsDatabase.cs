using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Recommendations.Storage;

/// <summary>The service's own SQLite file: the releases it serves, the evaluation log and feedback (scripts in Migrations/).</summary>
public static class RecommendationsDatabase
{
    /// <summary>
    /// The scripts' resource names as DbUp journals them: the names they had in the domain library, so a database
    /// migrated before they moved into this service is recognised as up to date.
    /// </summary>
    public const string ScriptPrefix = "AlkPlatform.Guidelines.Storage.Migrations.Service.";

    /// <summary>Opens the file and applies the scripts whose names start with <paramref name="scriptPrefix"/> (all by default).</summary>
    public static SqliteDatabase Open(string path, string scriptPrefix = ScriptPrefix) =>
        SqliteDatabase.Open(path, scriptPrefix, typeof(RecommendationsDatabase).Assembly);

    /// <summary>The file is <c>recommendations.db</c> under <c>Storage:DataDirectory</c>, a directory it creates.</summary>
    public static WebApplicationBuilder AddRecommendationsDatabase(this WebApplicationBuilder builder)
    {
        var dataDirectory = Path.GetFullPath(builder.Configuration["Storage:DataDirectory"] ?? "data", builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(_ => Open(Path.Combine(dataDirectory, "recommendations.db")));
        return builder;
    }
}
