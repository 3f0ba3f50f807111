using System.Globalization;
using System.Net;
using System.Text;
using Peers.Replay;

// Usage:
//   Peers.Replay replay --target 127.0.0.1:PORT [--connections 4] --out STATUS.tsv FILE.jsonl...
//   Peers.Replay report --out TABLE.md [--palisade NAME EVAL.json] [--run NAME STATUS.tsv AUDIT.log]...
//   Peers.Replay self-test
// See bench/peers/run.sh, which drives it.
try
{
    return args.Length == 0 ? Usage() : args[0] switch
    {
        "replay" => Replay(args),
        "report" => Report(args),
        "self-test" => SelfTest.Run(),
        _ => Usage(),
    };
}
catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"Peers.Replay: {e.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Peers.Replay replay --target HOST:PORT [--connections N] --out FILE FILES... | report --out FILE [--palisade NAME JSON] [--run NAME TSV AUDIT]... | self-test");
    return 2;
}

static int Replay(string[] args)
{
    IPEndPoint? target = null;
    var connections = 4;
    string? output = null;
    var files = new List<string>();
    for (var i = 1; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--target":
                target = IPEndPoint.Parse(args[++i]);
                break;
            case "--connections":
                connections = int.Parse(args[++i], CultureInfo.InvariantCulture);
                break;
            case "--out":
                output = args[++i];
                break;
            default:
                files.Add(args[i]);
                break;
        }
    }

    return target is null || output is null || files.Count == 0 ? Usage() : Replayer.Run(target, connections, output, files);
}

static int Report(string[] args)
{
    var comparison = new Comparison();
    string? output = null;
    for (var i = 1; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--out":
                output = args[++i];
                break;
            case "--palisade":
                comparison.AddPalisadeEval(args[i + 1], File.ReadAllText(args[i + 2]));
                i += 2;
                break;
            case "--run":
                var audit = File.Exists(args[i + 3]) ? AuditLog.Read(File.ReadLines(args[i + 3])) : [];
                comparison.AddReplay(args[i + 1], File.ReadLines(args[i + 2]), audit);
                i += 3;
                break;
            default:
                return Usage();
        }
    }

    var table = comparison.Render();
    Console.Out.Write(table);
    if (output is not null)
    {
        File.WriteAllText(output, table, new UTF8Encoding(false));
    }

    return 0;
}
