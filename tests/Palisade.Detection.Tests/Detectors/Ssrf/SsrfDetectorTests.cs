using Palisade.Detection.Detectors.Ssrf;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.Ssrf;

public class SsrfDetectorTests
{
    private readonly SsrfDetector _detector = new();

    public static TheoryData<DetectorCase> Cases => DetectorCaseFiles.Load("Ssrf");

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryDetect_CaseFile_MatchesLabel(DetectorCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var found = _detector.TryDetect(testCase.Value, DetectorCaseFiles.Origin(testCase.Source), out var match);

        Assert.True(found == testCase.Attack, found
            ? $"{testCase}: flagged as '{match.Reason}' (score {match.Score}) at [{match.Start}, {match.Start + match.Length})"
            : $"{testCase}: not flagged");
    }

    [Fact]
    public void Identity_IsStable()
    {
        Assert.Equal("ssrf.url", _detector.Id);
        Assert.Equal(AttackType.Ssrf, _detector.AttackType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("hello")]
    [InlineData("2024-01-31")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    public void TryDetect_PlainValue_ReturnsFalseWithDefaultMatch(string value)
    {
        Assert.False(_detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal(default, match);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", SsrfReasons.MetadataHost)]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", SsrfReasons.MetadataHost)]
    [InlineData("http://127.0.0.1:22/zq", SsrfReasons.LoopbackHost)]
    [InlineData("http://[::ffff:127.0.0.1]/zq", SsrfReasons.LoopbackHost)]
    [InlineData("http://192.168.0.1:6379/zq", SsrfReasons.PrivateHost)]
    [InlineData("http://0xd83ad6ce/zq", SsrfReasons.ObfuscatedAddress)]
    [InlineData("gopher://zq.example.com:6379/_zq", SsrfReasons.DangerousScheme)]
    [InlineData("localhost/zq", SsrfReasons.InternalName)]
    [InlineData("unix:/run/zq.sock|http://zq.example/", SsrfReasons.UnixSocket)]
    public void TryDetect_Attack_GivesFixedReason(string value, string reason)
    {
        Assert.True(_detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal(reason, match.Reason);
        Assert.DoesNotContain("zq", match.Reason, StringComparison.Ordinal);
        Assert.InRange(match.Score, 1, 100);
    }

    [Theory]
    [InlineData("127.0.0.1", HostKind.Loopback, false)]
    [InlineData("2130706433", HostKind.Loopback, true)]
    [InlineData("0177.0.0.1", HostKind.Loopback, true)]
    [InlineData("127.1", HostKind.Loopback, true)]
    [InlineData("0x7f000001", HostKind.Loopback, true)]
    [InlineData("425.510.425.510", HostKind.Metadata, true)]
    [InlineData("0x41414141A9FEA9FE", HostKind.Metadata, true)]
    [InlineData("[::1]", HostKind.Loopback, false)]
    [InlineData("[fd00:ec2::254]", HostKind.Metadata, false)]
    [InlineData("[fe80::1%25zone]", HostKind.LinkLocal, false)]
    [InlineData("\u2460\u2461\u2466.\u24EA.\u24EA.\u2460", HostKind.Loopback, true)]
    [InlineData("169\u3002254\u3002169\u3002254", HostKind.Metadata, true)]
    [InlineData("169.254.169.254.nip.io", HostKind.Metadata, false)]
    [InlineData("app.localtest.me", HostKind.Loopback, false)]
    [InlineData("host.docker.internal", HostKind.Private, false)]
    [InlineData("example.com", HostKind.Public, false)]
    [InlineData("8.8.8.8", HostKind.Public, false)]
    public void Classify_Host_ReadsEveryNotation(string host, HostKind kind, bool obfuscated)
    {
        var info = HostClassifier.Classify(host);

        Assert.Equal(kind, info.Kind);
        Assert.Equal(obfuscated, info.IsObfuscated);
    }

    [Theory]
    [InlineData("http://", 'x')]
    [InlineData("://", 'h')]
    [InlineData("http://a@", 'x')]
    [InlineData("[", 'x')]
    [InlineData("0x", 'x')]
    [InlineData("1.", 'x')]
    [InlineData(":", 'x')]
    [InlineData("\\", 'x')]
    [InlineData("\u2460", 'x')]
    public void TryDetect_AdversarialMegabyte_Returns(string unit, char filler)
    {
        // Every pattern is repeated to a full MiB: the detector must stay linear (no timing asserted, only that
        // it returns) and keep its evidence inside the value.
        var value = Repeat(unit, 1 << 20);
        foreach (var source in (ValueSource[])[ValueSource.Query, ValueSource.Path, ValueSource.Header])
        {
            _detector.TryDetect(value, new ValueOrigin(source), out var match);
            Assert.InRange(match.Start, 0, value.Length);
            Assert.InRange(match.Length, 0, value.Length - match.Start);
        }

        _detector.TryDetect(filler + value, new ValueOrigin(ValueSource.Json), out _);
    }

    [Fact]
    public void TryDetect_RandomText_NeverThrows()
    {
        var random = new Random(20261127);
        var alphabet = "htp:/\\\\@#?[]0123456789abcdefx.:%\u3002\u2460".ToCharArray();
        for (var n = 0; n < 2000; n++)
        {
            var chars = new char[random.Next(1, 200)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0x3000) : alphabet[random.Next(alphabet.Length)];
            }

            var value = new string(chars);
            _detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match);
            Assert.InRange(match.Start + match.Length, 0, value.Length);
        }
    }

    private static string Repeat(string unit, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = unit[i % unit.Length];
        }

        return new string(chars);
    }
}
