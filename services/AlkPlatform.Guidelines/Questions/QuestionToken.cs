namespace AlkPlatform.Guidelines.Questions;

/// <summary>
/// One word of a question or statement. A form joined by hyphens, slashes or a trailing plus (CAR-T, PD-1, R/R, ALK+,
/// STAT3/STAT5) stays one token; <see cref="Key"/> is its stem (the parts' stems joined as typed), <see cref="Parts"/>
/// the parts' stems.
/// </summary>
public sealed record QuestionToken(string Surface, int Start, int Length, string Key, IReadOnlyList<string> Parts, bool IsNumber)
{
    public bool IsCompound => Parts.Count > 1;
}
