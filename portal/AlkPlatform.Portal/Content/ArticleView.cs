using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Portal.Content;

/// <summary>What the article page needs: the content, how far it got through review, and which audience reads it.</summary>
public sealed record ArticleView(GuidelineContent Content, string StatusLabel, string Audience, string? LastUpdated)
{
    public static readonly IReadOnlyList<(string Value, string Label)> AudienceChoices =
    [
        (Audiences.Clinician, "I am a clinician"),
        (Audiences.Patient, "I am a patient or carer"),
    ];

    public static string NormaliseAudience(string? audience) =>
        audience is not null && Audiences.Known.Contains(audience) ? audience : Audiences.Clinician;
}
