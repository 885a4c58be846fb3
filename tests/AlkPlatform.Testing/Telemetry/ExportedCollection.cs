using System.Collections;

namespace AlkPlatform.Testing.Telemetry;

/// <summary>
/// What an exporter handed over, safe to add to from any thread (spans end on request threads, logs anywhere), with a wait
/// that wakes on each arrival instead of polling.
/// </summary>
public sealed class ExportedCollection<T> : ICollection<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _items = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(T item)
    {
        TaskCompletionSource arrived;
        lock (_gate)
        {
            _items.Add(item);
            arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        arrived.TrySetResult();
    }

    /// <summary>Everything exported so far, copied.</summary>
    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    /// <summary>
    /// The first item matching <paramref name="match"/>, waiting for it to be exported; the generous deadline is for a
    /// loaded CI machine and asserts arrival, not speed.
    /// </summary>
    public async Task<T> WaitFor(Func<T, bool> match, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                foreach (var item in _items)
                {
                    if (match(item))
                    {
                        return item;
                    }
                }
                arrived = _arrived.Task;
            }
            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"No {what} was exported within 30 s; {Count} items were.");
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (_gate)
        {
            return _items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (_gate)
        {
            _items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (_gate)
        {
            return _items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
