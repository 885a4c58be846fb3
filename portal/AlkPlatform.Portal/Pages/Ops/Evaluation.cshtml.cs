using System.Globalization;
using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Portal.Ops;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>One evaluation in full, and a replay against the release it used and the live release.</summary>
public sealed class EvaluationModel(RecommendationServiceConnection service) : OpsPage(service)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string EvaluationId { get; set; } = "";

    public EvaluationLogRecord? Record { get; private set; }

    /// <summary>The replica whose log holds the evaluation (each call is logged by the replica that answered it).</summary>
    public RecommendationServiceReplica? Replica { get; private set; }

    /// <summary>The logged input flattened to (path, value) pairs, e.g. ("facts.weight_kg", "70").</summary>
    public IReadOnlyList<(string Path, string Value)> Input { get; private set; } = [];

    public ReplayEvaluationResponse? Replay { get; private set; }

    public bool CanReplay => Record is { Method: EvaluationMethod.Recommend, StatusCode: 0 };

    public async Task OnGetAsync() => await LoadAsync();

    public async Task OnPostReplayAsync()
    {
        await LoadAsync();
        if (Record is null)
        {
            return;
        }
        var request = new ReplayEvaluationRequest { EvaluationId = EvaluationId };
        Replay = await CallAsync(Replica!, async () => await Replica!.EvaluationLogs.ReplayEvaluationAsync(request, Unary));
    }

    private async Task LoadAsync()
    {
        if (string.IsNullOrWhiteSpace(EvaluationId))
        {
            Fail("Name an evaluation: open one from the evaluation log.", StatusCodes.Status404NotFound);
            return;
        }
        var request = new GetEvaluationLogRequest { EvaluationId = EvaluationId.Trim() };
        var answers = await CallEachAsync(async replica =>
        {
            try
            {
                return (await replica.EvaluationLogs.GetEvaluationLogAsync(request, Unary)).Record;
            }
            catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.NotFound)
            {
                // Not this replica's: the evaluation was answered by another one.
                return null;
            }
        });
        if (answers is null)
        {
            return;
        }
        var holder = answers.FirstOrDefault(a => a.Value is not null);
        (Replica, Record) = (holder?.Replica, holder?.Value);
        if (Record is null)
        {
            Fail($"No evaluation '{request.EvaluationId}' is on record."
                + (UnreachableReplicas.Count == 0 ? "" : " It may be in the log of a replica that could not be asked."), StatusCodes.Status404NotFound);
        }
        Input = Record is null ? [] : Flatten(Record.InputJson);
    }

    public static IReadOnlyList<(string Path, string Value)> Flatten(string json)
    {
        var pairs = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(json))
        {
            return pairs;
        }
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement, "", pairs);
        return pairs;
    }

    private static void Walk(JsonElement element, string path, List<(string, string)> pairs)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", pairs);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"), pairs);
                }
                break;
            case JsonValueKind.String:
                pairs.Add((path, element.GetString() ?? ""));
                break;
            default:
                pairs.Add((path, element.GetRawText()));
                break;
        }
    }
}
