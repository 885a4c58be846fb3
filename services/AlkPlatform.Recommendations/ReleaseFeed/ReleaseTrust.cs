using System.Security.Cryptography;
using AlkPlatform.Guidelines.Releases.Signing;

namespace AlkPlatform.Recommendations.ReleaseFeed;

/// <summary>
/// The keys and quorum feed events are verified with, read once at start-up from <c>ReleaseTrust:*</c>. A setting that
/// cannot be honoured stops the start with a message naming it, rather than leaving a service that refuses every release.
/// </summary>
public sealed class ReleaseTrust : IDisposable
{
    private readonly TrustedReleaseKeys _keys;

    private ReleaseTrust(TrustedReleaseKeys keys, int approvalQuorum, IReadOnlyList<string> notes, IReadOnlyList<string> warnings)
    {
        _keys = keys;
        Verifier = new ReleaseEventVerifier(keys, approvalQuorum);
        Notes = notes;
        Warnings = warnings;
    }

    public ReleaseEventVerifier Verifier { get; }

    public IReadOnlyCollection<string> KeyIds => _keys.KeyIds;

    /// <summary>Which key was trusted from where: logged when the service starts.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Sources that gave nothing, or a feed no key can vouch for: logged as warnings when the service starts.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <exception cref="InvalidOperationException">A source cannot be read, or Production's minimums are not met.</exception>
    public static ReleaseTrust Load(ReleaseTrustOptions trust, ReleaseFeedOptions feed, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(environment);
        if (trust.ApprovalQuorum < 1)
        {
            throw Refuse($"ReleaseTrust:ApprovalQuorum is {trust.ApprovalQuorum}; a release needs at least one approval (Production: at least 2).");
        }
        if (environment.IsProduction() && trust.ApprovalQuorum < 2)
        {
            throw Refuse($"ReleaseTrust:ApprovalQuorum is {trust.ApprovalQuorum}, and in Production a release must carry the approvals of at least 2 " +
                "distinct board members. Set ReleaseTrust:ApprovalQuorum to 2 or more.");
        }
        if (feed.Configured && !(Uri.TryCreate(feed.Address, UriKind.Absolute, out var address) && address.Scheme is "http" or "https"))
        {
            throw Refuse($"ReleaseFeed:Address '{feed.Address}' is not an http:// or https:// address.");
        }

        var notes = new List<string>();
        var warnings = new List<string>();
        var pems = new List<string>();
        foreach (var (source, pem) in Sources(trust, environment.ContentRootPath, warnings))
        {
            if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                throw Refuse($"{source} holds a private key. A recommendation service needs only the portal's public key (BEGIN PUBLIC KEY); keep the private key in the portal.");
            }
            try
            {
                using var one = TrustedReleaseKeys.FromPems([pem]);
                notes.Add($"Trusting release-signing key {one.KeyIds.Single()} from {source}");
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                throw Refuse($"{source} is not an ECDSA P-256 public key in PEM form: {ex.Message}");
            }
            pems.Add(pem);
        }
        var keys = TrustedReleaseKeys.FromPems(pems);
        if (keys.IsEmpty && feed.Configured)
        {
            if (environment.IsProduction())
            {
                keys.Dispose();
                throw Refuse($"ReleaseFeed:Address is set ({feed.Address}) but no release-signing key is trusted, so every release would be " +
                    "refused. Give the portal's public key in ReleaseTrust:TrustedKeys:0 (PEM text), ReleaseTrust:TrustedKeyFiles:0 (a PEM file) " +
                    "or ReleaseTrust:TrustedKeysDirectory (a folder of *.pem files).");
            }
            warnings.Add("No release-signing key is trusted (ReleaseTrust:TrustedKeys, ReleaseTrust:TrustedKeyFiles, ReleaseTrust:TrustedKeysDirectory): " +
                "every event from the release feed will be refused");
        }
        notes.Add($"Releases need {trust.ApprovalQuorum} distinct approvals (ReleaseTrust:ApprovalQuorum)");
        return new ReleaseTrust(keys, trust.ApprovalQuorum, notes, warnings);
    }

    private static IEnumerable<(string Source, string Pem)> Sources(ReleaseTrustOptions trust, string contentRoot, List<string> warnings)
    {
        for (var i = 0; i < trust.TrustedKeys.Count; i++)
        {
            yield return ($"ReleaseTrust:TrustedKeys:{i}", trust.TrustedKeys[i]);
        }
        for (var i = 0; i < trust.TrustedKeyFiles.Count; i++)
        {
            var path = Path.GetFullPath(trust.TrustedKeyFiles[i], contentRoot);
            if (!File.Exists(path))
            {
                throw Refuse($"ReleaseTrust:TrustedKeyFiles:{i} names {path}, which does not exist.");
            }
            yield return ($"ReleaseTrust:TrustedKeyFiles:{i} ({path})", File.ReadAllText(path));
        }
        if (!string.IsNullOrWhiteSpace(trust.TrustedKeysDirectory))
        {
            var directory = Path.GetFullPath(trust.TrustedKeysDirectory, contentRoot);
            if (!Directory.Exists(directory))
            {
                // In development the portal creates this folder on its first run; a service started before it trusts nothing from it.
                warnings.Add($"ReleaseTrust:TrustedKeysDirectory {directory} does not exist: no keys trusted from it (they are read only at start-up)");
                yield break;
            }
            foreach (var file in Directory.GetFiles(directory, "*.pem").Order(StringComparer.Ordinal))
            {
                yield return ($"ReleaseTrust:TrustedKeysDirectory ({file})", File.ReadAllText(file));
            }
        }
    }

    private static InvalidOperationException Refuse(string reason) => new("The recommendation service refuses to start: " + reason);

    public void Dispose() => _keys.Dispose();
}
