using System.Net;
using System.Net.Sockets;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>
/// A loopback TCP relay in front of a server that, on command, stops forwarding while keeping every socket open: a
/// connection that dies silently (a dropped NAT entry, a frozen peer), which nothing but an unanswered ping reveals.
/// </summary>
public sealed class SilentDropRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Task _accepting;
    private volatile bool _silent;

    private SilentDropRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Address => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static SilentDropRelay Start(int targetPort) => new(targetPort);

    /// <summary>From now on no byte goes through in either direction, on open connections and new ones; nothing is closed.</summary>
    public void GoSilent() => _silent = true;

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                }
                _ = PumpAsync(client.GetStream(), server.GetStream());
                _ = PumpAsync(server.GetStream(), client.GetStream());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                while (_silent)
                {
                    await Task.Delay(10, _stop.Token);
                }
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // One side went away, or the relay stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }
        _stop.Dispose();
    }
}
