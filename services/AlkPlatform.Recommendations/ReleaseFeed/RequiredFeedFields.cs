using AlkPlatform.Contracts.Releases.V1;
using ReleaseVerificationException = AlkPlatform.Guidelines.Releases.ReleaseVerificationException;

namespace AlkPlatform.Recommendations.ReleaseFeed;

/// <summary>
/// The fields of a feed message this service will not do without. The portal always sends them, so a message lacking one
/// is refused whole rather than half-read (a missing timestamp once stopped the service). The signed event itself is the
/// verifier's to judge: absent, empty or unsigned, it is "not signed".
/// </summary>
public static class RequiredFeedFields
{
    private const int MaxNameLength = 80;

    /// <exception cref="ReleaseVerificationException">A field is missing; the message names each one.</exception>
    public static void Check(Release message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var missing = new List<string>();
        Require(missing, "release_id", message.ReleaseId.Length > 0);
        Require(missing, "guideline_id", message.GuidelineId.Length > 0);
        Require(missing, "canonical_content", !message.CanonicalContent.IsEmpty);
        Require(missing, "approved_at", message.ApprovedAt is not null);
        Require(missing, "published_at", message.PublishedAt is not null);
        ThrowIfAny(Name(message), missing);
    }

    /// <exception cref="ReleaseVerificationException">A field is missing; the message names each one.</exception>
    public static void Check(GuidelineRetired message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var missing = new List<string>();
        Require(missing, "guideline_id", message.GuidelineId.Length > 0);
        Require(missing, "retired_at", message.RetiredAt is not null);
        ThrowIfAny(Name(message), missing);
    }

    /// <summary>How refusals name the release: its id as the message gives it, or its guideline when it gives none.</summary>
    public static string Name(Release message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.ReleaseId.Length > 0 ? Clip(message.ReleaseId) : $"(no release id) of guideline '{Clip(message.GuidelineId)}'";
    }

    public static string Name(GuidelineRetired message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"retirement of {(message.GuidelineId.Length > 0 ? Clip(message.GuidelineId) : "(no guideline id)")}";
    }

    /// <summary>Feed text shown to ops and written to logs is cut short: the feed is not trusted to keep it small.</summary>
    public static string Clip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaxNameLength ? text : text[..MaxNameLength] + "…";
    }

    private static void Require(List<string> missing, string field, bool present)
    {
        if (!present)
        {
            missing.Add(field);
        }
    }

    private static void ThrowIfAny(string name, List<string> missing)
    {
        if (missing.Count > 0)
        {
            throw new ReleaseVerificationException(name, $"the message has no {string.Join(", ", missing)}");
        }
    }
}
