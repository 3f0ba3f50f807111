using System.Net.Sockets;
using System.Text;
using Palisade.Detection.Corpus;
using Palisade.Detection.Verdicts;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>
/// "What was inspected is what the application receives": every request of the labelled corpus, attacks included,
/// goes through a node in monitoring mode (nothing is blocked) to the recording application, and what the
/// application received must be what the client sent: the request-target and the body byte for byte, and every
/// header field's value exactly, the values of one name in their order. Two things are Kestrel's and insignificant
/// in HTTP: the order between different names (RFC 9110 §5.3) and the letter case of the names Kestrel knows
/// (<c>content-type</c> arrives as <c>Content-Type</c>; field names are case-insensitive, §5.1). The node adds only
/// its forwarding fields.
/// </summary>
public sealed class InspectedEqualsDeliveredTests
{
    // Fields the node sets (forwarding) or that belong to one hop (framing, connection management).
    private static readonly HashSet<string> NodeOrHopFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-Id", "Content-Length", "Transfer-Encoding", "Connection",
        "Keep-Alive", "Proxy-Connection", "TE", "Upgrade", "Trailer",
    };

    [Fact]
    public async Task Every_corpus_request_arrives_as_it_was_sent()
    {
        var records = CorpusRecords();
        if (records.Count == 0)
        {
            Assert.Skip("the corpus is not at ../shared/corpus (set PALISADE_CORPUS)");
        }

        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.Monitoring });
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => ReplayAsync(node, records.Where((_, i) => i % 4 == worker).ToList())));
        var mismatches = outcomes.SelectMany(o => o.Mismatches).ToList();
        var refused = outcomes.SelectMany(o => o.Refused).ToList();

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} requests arrived changed:\n" + string.Join("\n", mismatches.Take(20)));
        Assert.Equal(records.Count, outcomes.Sum(o => o.Delivered) + refused.Count);
        // The front door may refuse an attack's malformed bytes, never an ordinary browser's or API client's request.
        var benignRefused = refused.Where(r => !r.Record.IsAttack).Select(r => $"{r.Record.Id}: {r.Reason}").ToList();
        Assert.True(benignRefused.Count == 0, "benign requests refused by the front door:\n" + string.Join("\n", benignRefused));
    }

    private static async Task<(int Delivered, List<string> Mismatches, List<(CorpusRecord Record, string Reason)> Refused)> ReplayAsync(NodeUnderTest node, List<CorpusRecord> records)
    {
        var mismatches = new List<string>();
        var refused = new List<(CorpusRecord, string)>();
        var delivered = 0;
        Connection? connection = null;
        try
        {
            foreach (var record in records)
            {
                connection ??= await Connection.OpenAsync(node.Node.ProxyAddress);
                var (head, body) = Raw(record);
                var isHead = record.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);
                var response = await connection.ExchangeAsync([.. head, .. body], expectBody: !isHead);
                if (response.Status != 200)
                {
                    var reason = response.Text.Contains("protocol_violation", StringComparison.Ordinal)
                        ? response.Text[(response.Text.IndexOf("\"reason\":\"", StringComparison.Ordinal) + 10)..].Split('"')[0]
                        : $"status {response.Status}";
                    refused.Add((record, reason));
                }
                else
                {
                    delivered++;
                    // A HEAD response has no body, so no recording to compare with.
                    if (!isHead && Compare(record, head, body, Recorded.FromRawResponse(response.Text)) is { } difference)
                    {
                        mismatches.Add($"{record.Id}: {difference}");
                    }
                }

                if (response.Closed)
                {
                    connection.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }

        return (delivered, mismatches, refused);
    }

    // The request as a client sends it: the corpus's target and fields, its own framing.
    private static (byte[] Head, byte[] Body) Raw(CorpusRecord record)
    {
        var body = Encoding.UTF8.GetBytes(record.Body);
        var head = new StringBuilder($"{record.Method} {record.RawTarget} HTTP/1.1\r\n");
        if (!record.Headers.Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append("Host: corpus.example\r\n");
        }

        foreach (var header in record.Headers.Where(h => !NodeOrHopFields.Contains(h.Name)))
        {
            head.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        }

        if (body.Length > 0)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        return (Encoding.UTF8.GetBytes(head.Append("\r\n").ToString()), body);
    }

    private static string? Compare(CorpusRecord record, byte[] head, byte[] body, Recorded recorded)
    {
        var sentLines = Encoding.Latin1.GetString(head).Split("\r\n");
        if (recorded.RequestLine != sentLines[0])
        {
            return $"request line '{recorded.RequestLine}' != '{sentLines[0]}'";
        }

        var sent = sentLines.Skip(1).Where(l => l.Length > 0).Select(l => (l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .Where(h => !NodeOrHopFields.Contains(h.Item1)).ToList();
        var received = recorded.Headers.Where(h => !NodeOrHopFields.Contains(h.Name)).ToList();
        static string Fields(IEnumerable<(string Name, string Value)> fields) =>
            string.Join("\n", fields.GroupBy(f => f.Name.ToLowerInvariant(), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key + ": " + string.Join(" | ", g.Select(f => f.Value))));
        if (Fields(sent) != Fields(received))
        {
            return "fields differ: sent [" + string.Join(" | ", sent.Select(h => h.Item1 + ": " + h.Item2)) + "] received [" + string.Join(" | ", received.Select(h => h.Name + ": " + h.Value)) + "]";
        }

        return recorded.Body.AsSpan().SequenceEqual(body) ? null : $"body of {recorded.Body.Length} bytes != {body.Length} sent ({record.Method})";
    }

    private static List<CorpusRecord> CorpusRecords()
    {
        var corpus = Environment.GetEnvironmentVariable("PALISADE_CORPUS") is { Length: > 0 } configured ? configured : FindCorpus();
        if (corpus is null || !Directory.Exists(corpus))
        {
            return [];
        }

        return Directory.GetFiles(corpus, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines).Where(l => l.Length > 0).Select(CorpusRecord.Parse).ToList();
    }

    private static string? FindCorpus()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Palisade.slnx")))
            {
                return Path.Combine(directory.FullName, "..", "shared", "corpus");
            }
        }

        return null;
    }

    // One keep-alive connection: a request out, one response (with a Content-Length body) back.
    private sealed class Connection : IDisposable
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;
        private readonly byte[] _buffer = new byte[256 * 1024];
        private int _filled;

        private Connection(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
        }

        public static async Task<Connection> OpenAsync(Uri address)
        {
            var client = new TcpClient();
            await client.ConnectAsync(address.Host, address.Port);
            return new Connection(client);
        }

        public async Task<(int Status, string Text, bool Closed)> ExchangeAsync(byte[] request, bool expectBody)
        {
            await _stream.WriteAsync(request);
            _filled = 0;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var text = Encoding.Latin1.GetString(_buffer, 0, _filled);
                var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headEnd >= 0)
                {
                    var lengthLine = text[..headEnd].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    var length = lengthLine is null || !expectBody ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    if (_filled >= headEnd + 4 + length)
                    {
                        var closes = text[..headEnd].Contains("Connection: close", StringComparison.OrdinalIgnoreCase);
                        return (int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture), text[..(headEnd + 4 + length)], closes);
                    }
                }

                var read = await _stream.ReadAsync(_buffer.AsMemory(_filled), timeout.Token);
                if (read == 0)
                {
                    var status = _filled >= 12 ? int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture) : 0;
                    return (status, text, true);
                }

                _filled += read;
            }
        }

        public void Dispose()
        {
            _stream.Dispose();
            _client.Dispose();
        }
    }
}
