using System.Globalization;
using AlkPlatform.Contracts.Ops.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Contract = AlkPlatform.Contracts.Recommendation.V1;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>How the ops pages write log values: UTC times, milliseconds, enum names without their prefixes.</summary>
public static class OpsFormat
{
    public static string Time(Timestamp? time) => time is null ? "–" : Time(time.ToDateTimeOffset());

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string ShortId(string id) => id.Length > 13 ? id[..13] + "…" : id;

    public static string Latency(long microseconds) => Milliseconds(microseconds) + " ms";

    public static string Milliseconds(double microseconds) => (microseconds / 1000.0).ToString(microseconds < 10_000 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Status(int code) => code == 0 ? "OK" : $"{(StatusCode)code} ({code})";

    /// <summary>The verified calling app: its display name and app id, or why there is none.</summary>
    public static string Caller(string appId, string name) =>
        appId.Length == 0 ? "unverified (no valid token, or recorded before callers were verified)"
        : name.Length == 0 || name == appId ? appId
        : $"{name} ({appId})";

    /// <summary>What the caller said it was (x-client-app): shown as a claim, never as the caller.</summary>
    public static string Claimed(string label) => label.Length == 0 ? "–" : $"“{label}” (claimed)";

    /// <summary>The RPC's method name, for rows that are not evaluations (refused ops or feedback calls).</summary>
    public static string Method(EvaluationMethod method, string rpc) =>
        method == EvaluationMethod.Unspecified && rpc.Length > 0 ? rpc[(rpc.LastIndexOf('/') + 1)..] : Method(method);

    public static string Method(EvaluationMethod method) => method switch
    {
        EvaluationMethod.Recommend => "Recommend",
        EvaluationMethod.Ask => "Ask",
        EvaluationMethod.GetGuideline => "GetGuideline",
        _ => "–",
    };

    public static string Severity(Contract.Severity severity) => severity switch
    {
        Contract.Severity.Info => "Info",
        Contract.Severity.Warning => "Warning",
        Contract.Severity.Critical => "Critical",
        _ => "–",
    };

    public static string SeverityClass(Contract.Severity severity) => Severity(severity).ToLowerInvariant();

    public static string Kind(Contract.CardKind kind) => kind == Contract.CardKind.Unspecified ? "–" : kind.ToString();

    public static string Audience(Contract.Audience audience) => audience == Contract.Audience.Unspecified ? "(default)" : audience.ToString();

    public static string Percent(double rate) => rate.ToString("0.0%", CultureInfo.InvariantCulture);
}
