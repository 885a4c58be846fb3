using System.Collections.Concurrent;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlkPlatform.Portal.Tests;

/// <summary>Where the portal's release-signing key comes from, and that it refuses to start without one outside Development.</summary>
public sealed class PortalSigningKeyTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("alk-portal-key-").FullName;
    private readonly ConcurrentQueue<string> _log = new();

    [Theory]
    [InlineData("Testing")]
    [InlineData("Production")]
    public void Portal_OutsideDevelopmentWithoutAKey_RefusesToStartNamingBothSettings(string environment)
    {
        using var factory = Portal(environment, new Dictionary<string, string>());

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("The portal refuses to start: no release-signing key is configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReleaseSigning:KeyFile", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReleaseSigning:PrivateKeyPem", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dataDirectory, "release-signing")));
    }

    [Fact]
    public void Portal_KeyFileThatCannotBeRead_RefusesToStartNamingThePath()
    {
        var missing = Path.Combine(_dataDirectory, "mounted", "signing-key.pem");
        using var factory = Portal("Production", new Dictionary<string, string> { ["ReleaseSigning:KeyFile"] = missing });

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains($"ReleaseSigning:KeyFile names {missing}, which cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Portal_KeyFileHoldingOnlyAPublicKey_RefusesToStart()
    {
        using var key = ReleaseSigningKey.Generate();
        var file = Path.Combine(_dataDirectory, "public.pem");
        File.WriteAllText(file, key.ExportPublicKeyPem());
        using var factory = Portal("Production", new Dictionary<string, string> { ["ReleaseSigning:KeyFile"] = file });

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("does not hold an ECDSA P-256 private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Portal_WithBothSettings_RefusesToStart()
    {
        using var key = ReleaseSigningKey.Generate();
        using var factory = Portal("Production", new Dictionary<string, string>
        {
            ["ReleaseSigning:KeyFile"] = Path.Combine(_dataDirectory, "signing-key.pem"),
            ["ReleaseSigning:PrivateKeyPem"] = key.ExportPrivateKeyPem(),
        });

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("both ReleaseSigning:KeyFile and ReleaseSigning:PrivateKeyPem are set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Portal_WithPrivateKeyPem_SignsWithThatKey_AndLogsItsIdButNeverTheKey()
    {
        using var key = ReleaseSigningKey.Generate();
        using var factory = Portal("Production", new Dictionary<string, string> { ["ReleaseSigning:PrivateKeyPem"] = key.ExportPrivateKeyPem() });

        factory.CreateClient().Dispose();
        var workflow = factory.Services.GetRequiredService<GuidelineWorkflow>();

        Assert.Equal(key.KeyId, workflow.SigningKeyId);
        Assert.Equal(key.KeyId, Assert.Single(workflow.ListReleaseEvents()).Event.KeyId);
        Assert.Contains(_log, line => line.Contains($"signed with key {key.KeyId} (ReleaseSigning:PrivateKeyPem)", StringComparison.Ordinal));
        Assert.DoesNotContain(_log, line => line.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Portal_RestartedWithANewKeyAndTheEarlierPublicKeyFile_FeedsWhatIsLiveSignedWithTheNewKey()
    {
        using var oldKey = ReleaseSigningKey.Generate();
        using var newKey = ReleaseSigningKey.Generate();
        var oldPublic = Path.Combine(_dataDirectory, "previous-public.pem");
        File.WriteAllText(oldPublic, oldKey.ExportPublicKeyPem());
        using (var before = Portal("Production", new Dictionary<string, string> { ["ReleaseSigning:PrivateKeyPem"] = oldKey.ExportPrivateKeyPem() }))
        {
            before.CreateClient().Dispose();
            Assert.Equal(oldKey.KeyId, before.Services.GetRequiredService<GuidelineWorkflow>().ListReleaseEvents().Single().Event.KeyId);
        }

        using var after = Portal("Production", new Dictionary<string, string>
        {
            ["ReleaseSigning:PrivateKeyPem"] = newKey.ExportPrivateKeyPem(),
            ["ReleaseSigning:PreviousPublicKeyFiles:0"] = oldPublic,
        });
        after.CreateClient().Dispose();
        var workflow = after.Services.GetRequiredService<GuidelineWorkflow>();
        await using var feed = workflow.Feed.WatchAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        Assert.True(await feed.MoveNextAsync());

        var live = Assert.IsType<Guidelines.Releases.ReleaseWentLive>(feed.Current);
        Assert.Equal(newKey.KeyId, live.SignedEvent!.KeyId);
        Assert.Equal(2, ReleaseEventEnvelope.Parse(live.SignedEvent.Envelope.Span).Sequence);
        Assert.Contains(_log, line => line.Contains($"earlier key ({oldKey.KeyId}) are re-signed with {newKey.KeyId}", StringComparison.Ordinal));
    }

    [Fact]
    public void Portal_InDevelopmentWithoutAKey_GeneratesAnOwnerOnlyKeyOnce_PublishesItsPublicHalf_AndKeepsItAcrossRestarts()
    {
        string keyId;
        using (var first = Portal("Development", new Dictionary<string, string>()))
        {
            first.CreateClient().Dispose();
            keyId = first.Services.GetRequiredService<GuidelineWorkflow>().SigningKeyId;
        }
        using var second = Portal("Development", new Dictionary<string, string>());
        second.CreateClient().Dispose();

        var keyFile = Path.Combine(_dataDirectory, "release-signing", "signing-key.pem");
        var publicFile = Path.Combine(_dataDirectory, "release-signing", "public", keyId + ".pem");
        Assert.Equal(keyId, second.Services.GetRequiredService<GuidelineWorkflow>().SigningKeyId);
        using var stored = ReleaseSigningKey.FromPem(File.ReadAllText(keyFile));
        Assert.Equal(keyId, stored.KeyId);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        using var trusted = TrustedReleaseKeys.FromPems([File.ReadAllText(publicFile)]);
        Assert.Equal([keyId], trusted.KeyIds);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(publicFile)!));
        Assert.Contains(_log, line => line.Contains($"development key generated at {keyFile}", StringComparison.Ordinal));
        Assert.Contains(_log, line => line.Contains(publicFile, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    /// <summary>No world: these tests are about the portal's start-up alone. Entra settings of the right shape, never contacted.</summary>
    private WebApplicationFactory<PortalEntryPoint> Portal(string environment, Dictionary<string, string> settings) =>
        new WebApplicationFactory<PortalEntryPoint>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("AzureAd:Instance", "https://login.microsoftonline.com/");
            builder.UseSetting("AzureAd:TenantId", "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f");
            builder.UseSetting("AzureAd:ClientId", "6d0f4c2b-1a3e-4b5c-8d7e-9f0a1b2c3d4e");
            builder.UseSetting("AzureAd:ClientSecret", "not-a-real-secret");
            builder.UseSetting("Portal:DataDirectory", _dataDirectory);
            builder.UseSetting("RecommendationService:Address", "");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(_log)));
        });

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(log);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<string> log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Enqueue(formatter(state, exception));
    }
}
