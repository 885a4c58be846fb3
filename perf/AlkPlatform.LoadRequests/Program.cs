using System.Globalization;
using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.LoadRequests;

// AlkPlatform.LoadRequests <out-dir> [--echo-response-bytes N]
// Writes recommend.bin, echo.bin and, with N, echo-sized.bin (framed gRPC bodies for h2load), and prints as JSON what the
// load driver needs to know about them.
if (args.Length is not (1 or 3) || (args.Length == 3 && args[1] != "--echo-response-bytes"))
{
    Console.Error.WriteLine("usage: AlkPlatform.LoadRequests <out-dir> [--echo-response-bytes N]");
    return 2;
}
var directory = Directory.CreateDirectory(args[0]).FullName;
var recommend = RequestBodies.Recommend();
File.WriteAllBytes(Path.Combine(directory, "recommend.bin"), RequestBodies.Frame(recommend));
File.WriteAllBytes(Path.Combine(directory, "echo.bin"), RequestBodies.Frame(RequestBodies.Echo(recommend)));
if (args.Length == 3)
{
    var responseBytes = int.Parse(args[2], CultureInfo.InvariantCulture);
    File.WriteAllBytes(Path.Combine(directory, "echo-sized.bin"), RequestBodies.Frame(RequestBodies.Echo(recommend, responseBytes)));
}
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["recommend_path"] = RequestBodies.RecommendPath,
    ["echo_path"] = RequestBodies.EchoPath,
    ["recommend_request_bytes"] = recommend.CalculateSize(),
    // The evaluation log stores the contract's method number; the driver counts Recommend rows by it.
    ["recommend_log_method"] = (int)EvaluationMethod.Recommend,
}));
return 0;
