using System.Text;
using Palisade.Detection.Corpus;

namespace Peers.Replay;

/// <summary>
/// Checks of the request building and the audit log reading that need no server (<c>self-test</c>; run.sh runs
/// it before every replay).
/// </summary>
public static class SelfTest
{
    public static int Run()
    {
        var failures = 0;
        var record = CorpusRecord.Parse(
            """{"id":"t-1","label":"attack","category":"sqli","request":{"method":"POST","path":"/a%20b","query":"q=1'--&x=?y","headers":{"content-type":"text/plain","Content-Length":"999","X-Odd":"a\r\nb"},"body":"é"}}""");
        var text = Encoding.UTF8.GetString(RawRequest.Build(record, 7));
        failures += Check("request line keeps the raw target", text.StartsWith("POST /a%20b?q=1'--&x=?y HTTP/1.1\r\n", StringComparison.Ordinal));
        failures += Check("recorded header names are kept", text.Contains("\r\ncontent-type: text/plain\r\n", StringComparison.Ordinal));
        failures += Check("recorded Content-Length is replaced", !text.Contains("999", StringComparison.Ordinal));
        failures += Check("Content-Length counts UTF-8 bytes", text.Contains("\r\nContent-Length: 2\r\n", StringComparison.Ordinal));
        failures += Check("a missing Host is added", text.Contains("\r\nHost: localhost\r\n", StringComparison.Ordinal));
        failures += Check("the replay id is sent", text.Contains("\r\nX-Replay-Id: 7\r\n", StringComparison.Ordinal));
        failures += Check("CR/LF in a value cannot split the header", text.Contains("\r\nX-Odd: a  b\r\n", StringComparison.Ordinal));
        failures += Check("the body follows the empty line", text.EndsWith("\r\n\r\né", StringComparison.Ordinal));

        var get = CorpusRecord.Parse("""{"id":"t-2","label":"benign","category":"benign","request":{"method":"GET","path":"/","headers":{"Host":"h"}}}""");
        var getText = Encoding.UTF8.GetString(RawRequest.Build(get, 0));
        failures += Check("a GET without a body has no Content-Length", !getText.Contains("Content-Length", StringComparison.Ordinal));
        failures += Check("a recorded Host is not doubled", !getText.Contains("localhost", StringComparison.Ordinal));

        string[] log =
        [
            "---AbCd1234---A--",
            "[27/Nov/2026:01:00:00 +0000] 1700000000 127.0.0.1 40000 127.0.0.1 8080",
            "---AbCd1234---B--",
            "POST /x HTTP/1.1",
            "x-replay-id: 42",
            "---AbCd1234---H--",
            "ModSecurity: Warning. Matched \"Operator `Rx' ...\" [file \"x.conf\"] [line \"1\"] [id \"920420\"] [rev \"\"]",
            "ModSecurity: Access denied with code 403 (phase 2). [id \"949110\"] [msg \"Inbound Anomaly Score Exceeded\"]",
            "---AbCd1234---Z--",
            "---EfGh5678---B--",
            "GET / HTTP/1.1",
            "---EfGh5678---Z--",
        ];
        var ids = AuditLog.Read(log);
        failures += Check("audit log: rule ids by replay id", ids.Count == 1 && ids[42].SetEquals(["920420", "949110"]));

        Console.Error.WriteLine(failures == 0 ? "self-test passed" : $"self-test: {failures} check(s) failed");
        return failures == 0 ? 0 : 1;
    }

    private static int Check(string name, bool ok)
    {
        if (!ok)
        {
            Console.Error.WriteLine($"FAILED: {name}");
        }

        return ok ? 0 : 1;
    }
}
