using System.Collections.Concurrent;
using System.Text;

namespace Palisade.TestUpstream;

/// <summary>What the test application has seen, shared by all connections: every request head, and open gates.</summary>
internal static class UpstreamState
{
    private static readonly ConcurrentQueue<string> Heads = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public static void Record(RecordedRequest request) => Heads.Enqueue(Encoding.Latin1.GetString(request.Head));

    /// <summary>Records an event of the application's own (a response abandoned by its reader) as a line to count.</summary>
    public static void Note(string line) => Heads.Enqueue(line);

    /// <summary>How many recorded request heads contain the marker.</summary>
    public static int Count(string marker) => Heads.Count(h => h.Contains(marker, StringComparison.Ordinal));

    public static Task WaitForGate(string id) => Gates.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static void Release(string id) => Gates.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
