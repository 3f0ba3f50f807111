using System.Globalization;
using System.Net;
using System.Text;
using Palisade.Detection.Corpus;

namespace Peers.Replay;

/// <summary>
/// Replays corpus files against one endpoint with a few parallel keep-alive connections and writes one
/// tab-separated line per request: sequence, id, file, label, category, status (0 = no response, -1 = the
/// record could not be read).
/// </summary>
public static class Replayer
{
    /// <summary>One line of a corpus file, in replay order.</summary>
    private sealed record Item(int Sequence, string File, string Line);

    public static int Run(IPEndPoint endPoint, int connections, string output, IReadOnlyList<string> files)
    {
        var items = new List<Item>();
        foreach (var file in files)
        {
            var stem = Path.GetFileNameWithoutExtension(file);
            foreach (var line in File.ReadLines(file))
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    items.Add(new Item(items.Count, stem, line));
                }
            }
        }

        var rows = new string[items.Count];
        var next = -1;
        var done = 0;
        var workers = new Thread[Math.Max(1, connections)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = new Thread(() =>
            {
                using var connection = new ReplayConnection(endPoint, TimeSpan.FromSeconds(30));
                int index;
                while ((index = Interlocked.Increment(ref next)) < items.Count)
                {
                    rows[index] = ReplayOne(connection, items[index]);
                    var count = Interlocked.Increment(ref done);
                    if (count % 2000 == 0)
                    {
                        Console.Error.WriteLine($"[replay] {count}/{items.Count}");
                    }
                }
            });
            workers[w].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        File.WriteAllLines(output, rows, new UTF8Encoding(false));
        Console.Error.WriteLine($"[replay] {items.Count} requests replayed to {endPoint}");
        return 0;
    }

    private static string ReplayOne(ReplayConnection connection, Item item)
    {
        CorpusRecord record;
        try
        {
            record = CorpusRecord.Parse(item.Line);
        }
        catch (FormatException)
        {
            return Row(item.Sequence, "?", item.File, "?", "?", -1);
        }

        var status = connection.Send(RawRequest.Build(record, item.Sequence), record.Method == "HEAD");
        return Row(item.Sequence, record.Id, item.File, record.IsAttack ? "attack" : "benign", record.Category, status);
    }

    private static string Row(int sequence, string id, string file, string label, string category, int status) =>
        string.Join('\t', sequence.ToString(CultureInfo.InvariantCulture), id, file, label, category,
            status.ToString(CultureInfo.InvariantCulture));
}
