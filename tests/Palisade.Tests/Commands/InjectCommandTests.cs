using Palisade.Tests.Infrastructure;

namespace Palisade.Tests.Commands;

public sealed class InjectCommandTests : IDisposable
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web, palisade.io/inject: enabled}
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  ports: [{name: http, containerPort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports: [{port: 80, targetPort: 8080}]
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-inject-").FullName;

    [Fact]
    public async Task Inject_PrintsTheInjectedManifest_AndInjectingItAgainChangesNothing()
    {
        var input = Write("app.yaml", Deployment);

        var (code, output, error) = await PalisadeProcess.RunAsync(["inject", "-f", input, "--mode", "block"]);

        Assert.Equal(0, code);
        Assert.Contains("palisade inject: deployment/web: injected", error, StringComparison.Ordinal);
        Assert.Contains("name: palisade-iptables", output, StringComparison.Ordinal);
        Assert.Contains("restartPolicy: Always", output, StringComparison.Ordinal);
        Assert.Contains("value: block", output, StringComparison.Ordinal);
        Assert.Contains("kind: Service", output, StringComparison.Ordinal);

        var again = await PalisadeProcess.RunAsync(["inject", "-f", Write("injected.yaml", output), "--mode", "block"]);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(output, again.Output);
        Assert.Contains("deployment/web: skipped: already-injected", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inject_BadAnnotation_Exits2AndPrintsNothing()
    {
        var input = Write("bad.yaml", Deployment.Replace("labels: {app: web, palisade.io/inject: enabled}", "labels: {app: web, palisade.io/inject: enabled}\n      annotations: {palisade.io/listen-port: \"99999\"}", StringComparison.Ordinal));

        var (code, output, error) = await PalisadeProcess.RunAsync(["inject", "-f", input]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("palisade.io/listen-port: '99999' is not a port: use a number from 1 to 65535", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: [Pod", "did not find expected ',' or ']'")]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {}\n", "deployment/x (document at line 1): no pod template at spec.template")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: 7}\n", "pod/p (document at line 1): the pod template is not a valid pod")]
    public async Task Inject_BrokenManifest_Exits2WithWhereAndWhat(string yaml, string message)
    {
        var (code, output, error) = await PalisadeProcess.RunAsync(["inject", "-f", Write("broken.yaml", yaml)]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--mode", "blocking", "--mode: 'blocking' is not a mode")]
    [InlineData("--capture", "tproxy", "--capture: 'tproxy' is not a capture mode")]
    public async Task Inject_BadOption_Exits2(string option, string value, string message)
    {
        var (code, _, error) = await PalisadeProcess.RunAsync(["inject", "-f", Write("app.yaml", Deployment), option, value]);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inject_MissingFile_Exits2()
    {
        var (code, _, error) = await PalisadeProcess.RunAsync(["inject", "-f", Path.Combine(_directory, "missing.yaml")]);

        Assert.Equal(2, code);
        Assert.Contains("missing.yaml", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
