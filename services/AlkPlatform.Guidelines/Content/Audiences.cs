namespace AlkPlatform.Guidelines.Content;

public static class Audiences
{
    public const string Clinician = "clinician";
    public const string Patient = "patient";
    public static readonly IReadOnlyList<string> Known = [Clinician, Patient];
}
