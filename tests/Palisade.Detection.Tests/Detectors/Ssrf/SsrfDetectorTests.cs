using Palisade.Detection.Detectors.Ssrf;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.Ssrf;

public class SsrfDetectorTests() : DetectorCaseFileTests<SsrfDetector>("ssrf.url", AttackType.Ssrf, "htp:/\\\\@#?[]0123456789abcdefx.:%\u3002\u2460")
{
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
    public void TryDetect_Attack_GivesFixedReason(string value, string reason) => AssertFixedReason(value, reason);

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
    public void TryDetect_AdversarialMegabyte_Returns(string unit, char filler) => AssertMegabyteReturns(unit, filler, ValueSource.Query, ValueSource.Path, ValueSource.Header);
}
