using System.Globalization;
using AlkPlatform.Testing.Otlp;

// Usage: AlkPlatform.OtlpSink [--port N]. Prints "listening <endpoint>", then on SIGTERM or Ctrl+C one JSON line of counts.
var port = args.Length >= 2 && args[0] == "--port" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using var receiver = await OtlpReceiver.StartAsync(port, keep: false);
Console.WriteLine($"listening {receiver.Endpoint}");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Asked to stop: report what arrived.
}
var (spans, metrics, logs, exports) = receiver.Counts;
Console.WriteLine($"{{\"spans\": {spans}, \"metrics\": {metrics}, \"logs\": {logs}, \"exports\": {exports}}}");
