namespace AlkPlatform.Portal.ReleaseSigning;

/// <summary>Logs, once at start, which key signs the feed (its id, never the key), so operators can match it with the services' trust.</summary>
public sealed class SigningKeyStartupLog(LoadedSigningKey loaded, ILogger<SigningKeyStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Release feed events are signed with key {KeyId} ({Source})", loaded.Key.KeyId, loaded.Source);
        if (!loaded.PreviousKeys.IsEmpty)
        {
            logger.LogInformation("Events last signed with an earlier key ({PreviousKeyIds}) are re-signed with {KeyId} when the content store opens",
                string.Join(", ", loaded.PreviousKeys.KeyIds), loaded.Key.KeyId);
        }
        if (loaded.PublishedPublicKeyPath is { } path)
        {
            logger.LogWarning(
                "Development signing key {KeyId}: its public key is at {PublicKeyPath}; point a local recommendation service's " +
                "ReleaseTrust:TrustedKeysDirectory at {PublicKeyDirectory} to trust it", loaded.Key.KeyId, path, Path.GetDirectoryName(path));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
