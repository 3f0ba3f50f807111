using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Palisade.Node.Configuration;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>ROBUSTNESS.md A01: the mutating management API is on loopback only; the pod address gets only the read-only admin listener.</summary>
public sealed class AdminExposureTests
{
    [Fact]
    public async Task A01_MutatingAdminEndpoints_NotReachableFromPodAddress()
    {
        await using var podAddress = await PodAddress.FindOrCreateAsync();
        // As the sidecar runs: admin on every interface (kubelet and Prometheus reach it), management left at loopback.
        await using var node = await NodeUnderTest.StartAsync(o => o with
        {
            AdminListen = new ListenAddress(IPAddress.Any, 0),
            ManagementListen = new ListenAddress(IPAddress.Loopback, 0),
        });
        var managementPort = node.Node.ManagementAddress.Port;
        var adminPort = node.Node.AdminAddress.Port;

        // The management listener answers on loopback...
        using (var local = new HttpClient { BaseAddress = node.Node.ManagementAddress })
        using (var listed = await local.GetAsync(new Uri("/api/ip-lists", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }

        // ...and the pod address refuses the connection.
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(new IPEndPoint(podAddress.Address, managementPort), TestContext.Current.CancellationToken));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        // The read-only admin listener answers over the pod address, and has no /api.
        using var admin = new HttpClient { BaseAddress = new Uri($"http://{podAddress.Address}:{adminPort}") };
        foreach (var path in new[] { "/healthz", "/readyz", "/metrics" })
        {
            using var response = await admin.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var api = await admin.GetAsync(new Uri("/api/ip-lists", UriKind.Relative), TestContext.Current.CancellationToken);
        using var post = await admin.PostAsync(new Uri("/api/ip-lists", UriKind.Relative), new StringContent("""{"list":"allow","cidr":"0.0.0.0/0"}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Empty(node.Node.IpAccess.Entries);
    }

    /// <summary>A non-loopback IPv4 address of this machine; a dummy interface is made (and removed) when there is none.</summary>
    private sealed class PodAddress : IAsyncDisposable
    {
        private const string DummyLink = "palisade-a01";

        private PodAddress(IPAddress address, bool created)
        {
            Address = address;
            Created = created;
        }

        public IPAddress Address { get; }

        private bool Created { get; }

        public static async Task<PodAddress> FindOrCreateAsync()
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                {
                    continue;
                }

                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                    {
                        return new PodAddress(unicast.Address, created: false);
                    }
                }
            }

            if (!OperatingSystem.IsLinux())
            {
                Assert.Skip("no non-loopback IPv4 address on this machine, and no way to make one");
            }

            await IpAsync($"link add {DummyLink} type dummy");
            await IpAsync($"addr add 10.253.1.1/32 dev {DummyLink}");
            await IpAsync($"link set {DummyLink} up");
            return new PodAddress(IPAddress.Parse("10.253.1.1"), created: true);
        }

        public async ValueTask DisposeAsync()
        {
            if (Created)
            {
                await IpAsync($"link del {DummyLink}");
            }
        }

        private static async Task IpAsync(string arguments)
        {
            using var process = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true })!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"ip {arguments}: {error}");
        }
    }
}
