using Microsoft.AspNetCore.DataProtection;

namespace AlkPlatform.Portal.Security;

public static class DataProtectionKeys
{
    /// <summary>
    /// The keys protecting sign-in cookies and antiforgery tokens live on the portal's volume, so a restart or a
    /// rescheduled pod does not sign everyone out or fail forms in flight (by default they are kept in memory when the
    /// home directory is read-only, as in the container).
    /// </summary>
    public static WebApplicationBuilder AddDataProtectionKeys(this WebApplicationBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDataProtection()
            .SetApplicationName("AlkPlatform.Portal")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "data-protection-keys")));
        return builder;
    }
}
