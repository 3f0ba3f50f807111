using System.Diagnostics;
using System.Text;

namespace Palisade.Tests.Infrastructure;

/// <summary>The real <c>palisade</c> binary as a child process: arguments, environment, captured output, signals.</summary>
public sealed class PalisadeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private PalisadeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>A native build to test instead of the framework-dependent one (CI sets it to the NativeAOT binary).</summary>
    public static string? NativeBinary => Environment.GetEnvironmentVariable("PALISADE_BIN") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>Starts palisade; in <paramref name="networkNamespace"/> (through <c>ip netns exec</c>) when one is named.</summary>
    public static PalisadeProcess Start(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? networkNamespace = null)
    {
        var start = new ProcessStartInfo(networkNamespace is null ? NativeBinary ?? "dotnet" : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (networkNamespace is not null)
        {
            foreach (var word in new[] { "netns", "exec", networkNamespace, NativeBinary ?? "dotnet" })
            {
                start.ArgumentList.Add(word);
            }
        }

        if (NativeBinary is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "palisade.dll"));
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PALISADE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new PalisadeProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start palisade"));
    }

    /// <summary>Runs palisade to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? networkNamespace = null)
    {
        await using var process = Start(arguments, environment, networkNamespace);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (code, process.StandardOutput, process.StandardError);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as the kubelet does when the pod stops.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends a signal by name (<c>HUP</c>, <c>TERM</c>, <c>KILL</c>).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}
