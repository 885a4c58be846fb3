namespace AlkPlatform.Guidelines.Rules;

public sealed record MissingFactInfo(string Fact, string Question, List<string> Affects, List<string> RuleIds);
