using System.Net;
using Palisade.Detection.Engine;
using Palisade.Detection.Verdicts;
using Palisade.Node.Configuration;

namespace Palisade.Node.Tests.Configuration;

public sealed class NodeOptionsLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_NoSources_GivesDocumentedDefaults()
    {
        var options = NodeOptionsLoader.Load(new NodeConfigurationSources());
        Assert.Equal(new ListenAddress(IPAddress.Any, 80), options.Listen);
        Assert.Equal(new ListenAddress(IPAddress.Any, 9901), options.AdminListen);
        Assert.Equal(new Uri("http://127.0.0.1:8080"), options.Upstream);
        Assert.Equal(EnforcementMode.Monitoring, options.Mode);
        Assert.Equal(1 << 20, options.InspectionLimit);
        Assert.Equal(OversizePolicy.InspectPrefixAndPass, options.OversizePolicy);
        Assert.Equal(OverlimitPolicy.Block, options.OverlimitPolicy);
        Assert.Equal(403, options.BlockStatus);
        Assert.Equal(TimeSpan.FromSeconds(20), options.DrainTimeout);
        Assert.Empty(options.TrustedProxies);
        Assert.Empty(options.Graylist);
    }

    [Fact]
    public void Load_AllSources_FlagsBeatEnvironmentBeatFileBeatDefaults()
    {
        var file = Write("""
            mode: block
            inspection-limit: 2MiB
            block-status: 406
            graylist:
              - 10.0.0.0/8
              - 2001:db8::/32
            """);
        var options = NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            ConfigFile = file,
            Environment = new Dictionary<string, string> { ["PALISADE_MODE"] = "safe_blocking", ["PALISADE_BLOCK_STATUS"] = "429" },
            Flags = [new ConfigurationValue("mode", ["off"], "--mode")],
        });

        Assert.Equal(EnforcementMode.Off, options.Mode);
        Assert.Equal(429, options.BlockStatus);
        Assert.Equal(2 << 20, options.InspectionLimit);
        Assert.Equal(2, options.Graylist.Count);
    }

    [Fact]
    public void Load_FrontDoorLimits_ReachTheFrontDoorAndAreRangeChecked()
    {
        var options = NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            ConfigFile = Write("max-header-size: 64KiB\n"),
            Environment = new Dictionary<string, string> { ["PALISADE_MAX_REQUEST_LINE"] = "16KiB" },
            Flags = [new ConfigurationValue("max-header-count", ["50"], "--max-header-count")],
        });
        var error = Assert.Throws<ConfigurationException>(() => NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            Environment = new Dictionary<string, string> { ["PALISADE_MAX_REQUEST_LINE"] = "10MiB" },
        }));

        Assert.Equal((16 * 1024, 64 * 1024, 50), (options.FrontDoor.MaxRequestLineBytes, options.FrontDoor.MaxHeaderBytes, options.FrontDoor.MaxHeaderCount));
        Assert.Contains("PALISADE_MAX_REQUEST_LINE", error.Message, StringComparison.Ordinal);
        Assert.Contains("between 256 and 64KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OverlimitPolicyFromEnvironment_Pass()
    {
        var options = NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            Environment = new Dictionary<string, string> { ["PALISADE_OVERLIMIT_POLICY"] = "pass" },
        });
        Assert.Equal(OverlimitPolicy.Pass, options.OverlimitPolicy);
    }

    [Fact]
    public void Load_ConfigFileFromEnvironment_IsRead()
    {
        var file = Write("listen: 127.0.0.1:8081\n");
        var options = NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            Environment = new Dictionary<string, string> { ["PALISADE_CONFIG"] = file },
        });
        Assert.Equal(new ListenAddress(IPAddress.Loopback, 8081), options.Listen);
    }

    [Fact]
    public void Load_ListInEnvironment_IsCommaSeparated()
    {
        var options = NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            Environment = new Dictionary<string, string> { ["PALISADE_TRUSTED_PROXIES"] = "10.0.0.0/8, 192.168.1.1" },
        });
        Assert.Equal(2, options.TrustedProxies.Count);
        Assert.True(options.TrustedProxies[1].Contains(IPAddress.Parse("192.168.1.1")));
    }

    [Theory]
    [InlineData("mode", "blocking", "mode (--mode): 'blocking' is not a mode")]
    [InlineData("inspection-limit", "10XB", "inspection-limit (--inspection-limit): '10XB' is not a size")]
    [InlineData("inspection-limit", "0", "inspection-limit (--inspection-limit): '0' is out of range")]
    [InlineData("block-status", "200", "block-status (--block-status): '200' is not a whole number from 400 to 599")]
    [InlineData("listen", "localhost:99999", "listen (--listen): 'localhost:99999' has no valid port")]
    [InlineData("upstream", "ftp://x", "upstream (--upstream): 'ftp://x' is not an http:// or https:// URL")]
    [InlineData("upstream", "http://127.0.0.1:8080/app", "must not have a path")]
    [InlineData("graylist", "10.0.0.0/33", "graylist (--graylist): '10.0.0.0/33' is not an IP address or CIDR")]
    [InlineData("drain-timeout", "soon", "drain-timeout (--drain-timeout): 'soon' is not a duration")]
    [InlineData("fail-open", "maybe", "fail-open (--fail-open): 'maybe' is not a boolean")]
    [InlineData("oversize-policy", "truncate", "'truncate' is not a policy")]
    [InlineData("overlimit-policy", "ignore", "overlimit-policy (--overlimit-policy): 'ignore' is not a policy: use block or pass")]
    public void Load_InvalidFlag_ErrorNamesKeyAndValue(string key, string value, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            Flags = [new ConfigurationValue(key, [value], "--" + key)],
        }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void Load_InvalidEnvironmentValue_ErrorNamesVariable()
    {
        var error = Assert.Throws<ConfigurationException>(() => NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            Environment = new Dictionary<string, string> { ["PALISADE_UPSTREAM_TIMEOUT"] = "-1s" },
        }));
        Assert.Equal("upstream-timeout (PALISADE_UPSTREAM_TIMEOUT): '-1s' is not a duration: use a number with ms, s, m, h or d (20s)", error.Message);
    }

    [Fact]
    public void Load_UnknownKeyInFile_ErrorNamesFileAndLine()
    {
        var file = Write("mode: block\n\nlisten-port: 80\n");
        var error = Assert.Throws<ConfigurationException>(() => NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = file }));
        Assert.Equal("listen-port (palisade.yaml:3): unknown option; see 'palisade node --help' for the valid keys", error.Message);
    }

    [Fact]
    public void Load_BadValueInFile_ErrorNamesLine()
    {
        var file = Write("mode: block\nblock-status: teapot\n");
        var error = Assert.Throws<ConfigurationException>(() => NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = file }));
        Assert.StartsWith("block-status (palisade.yaml:2):", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mode: [block, off]\n", "mode (palisade.yaml:1): expects a single value, not a list")]
    [InlineData("mode:\n  nested: x\n", "mode (palisade.yaml:1): expects a value, not a mapping")]
    [InlineData("- a\n- b\n", "config: palisade.yaml:1: the file must be a mapping of option keys to values")]
    public void Load_WrongShapeInFile_ErrorExplains(string yaml, string expected)
    {
        var file = Write(yaml);
        var error = Assert.Throws<ConfigurationException>(() => NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = file }));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Load_BrokenYaml_ErrorNamesLine()
    {
        var file = Write("mode: block\nlisten: [unclosed\n");
        var error = Assert.Throws<ConfigurationException>(() => NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = file }));
        Assert.StartsWith("config: palisade.yaml:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ErrorNamesPath()
    {
        var path = Path.Combine(_directory, "absent.yaml");
        var error = Assert.Throws<ConfigurationException>(() => NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = path }));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyFile_GivesDefaults() =>
        Assert.Equal(EnforcementMode.Monitoring, NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = Write("") }).Mode);

    [Fact]
    public void Load_AdminOnSamePortAsListen_Fails()
    {
        var error = Assert.Throws<ConfigurationException>(() => NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            Flags = [new ConfigurationValue("listen", ["9901"], "--listen")],
        }));
        Assert.Equal("admin-listen", error.Key);
    }

    [Fact]
    public void Load_Demo_BlocksUnlessModeGiven()
    {
        Assert.Equal(EnforcementMode.Block, NodeOptionsLoader.Load(new NodeConfigurationSources { Flags = [new ConfigurationValue("demo", ["true"], "--demo")] }).Mode);
        Assert.Equal(EnforcementMode.Monitoring, NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            Flags = [new ConfigurationValue("demo", ["true"], "--demo"), new ConfigurationValue("mode", ["monitoring"], "--mode")],
        }).Mode);
    }

    [Fact]
    public void Load_DemoWithExplicitUpstream_Fails() =>
        Assert.Equal("upstream", Assert.Throws<ConfigurationException>(() => NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            Flags = [new ConfigurationValue("demo", ["true"], "--demo"), new ConfigurationValue("upstream", ["http://127.0.0.1:1"], "--upstream")],
        })).Key);

    [Fact]
    public void Settings_EveryOption_HasEnvironmentVariableFlagAndDefault()
    {
        foreach (var setting in NodeSettings.All)
        {
            Assert.Equal("PALISADE_" + setting.Key.Replace('-', '_').ToUpperInvariant(), setting.EnvironmentVariable);
            Assert.Equal("--" + setting.Key, setting.Flag);
            Assert.False(string.IsNullOrWhiteSpace(setting.Description));

            // The default, written back as configuration, reads back to the same value.
            var roundTrip = setting.Apply(new NodeOptions(), setting.Kind == SettingKind.List ? [] : [setting.DefaultText], "test");
            Assert.Equal(setting.DefaultText, setting.Format(roundTrip));
        }
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory, "palisade.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
