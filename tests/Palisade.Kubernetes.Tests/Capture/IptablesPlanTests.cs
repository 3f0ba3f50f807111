using Palisade.Kubernetes.Capture;

namespace Palisade.Kubernetes.Tests.Capture;

public sealed class IptablesPlanTests
{
    [Fact]
    public void The_first_run_adds_the_jump_and_every_run_refreshes_the_chain()
    {
        var plan = new IptablesPlan(8080, 9900);

        Assert.Equal(
            "*nat\n:PALISADE_INBOUND - [0:0]\n-A PALISADE_INBOUND -p tcp --dport 8080 -j REDIRECT --to-ports 9900\n-A PREROUTING -p tcp -j PALISADE_INBOUND\nCOMMIT\n",
            plan.RestoreInput(jumpPresent: false));
        Assert.Equal(
            "*nat\n:PALISADE_INBOUND - [0:0]\n-A PALISADE_INBOUND -p tcp --dport 8080 -j REDIRECT --to-ports 9900\nCOMMIT\n",
            plan.RestoreInput(jumpPresent: true));
    }

    [Fact]
    public void Only_prerouting_is_touched_so_the_nodes_own_upstream_connection_is_never_redirected()
    {
        var input = new IptablesPlan(8080, 9900).RestoreInput(jumpPresent: false);

        Assert.DoesNotContain("OUTPUT", input, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8080, 9900, null)]
    [InlineData(8080, 8080, "must differ")]
    [InlineData(0, 9900, "--application-port")]
    [InlineData(8080, 65536, "--node-port")]
    public void Ports_are_validated(int application, int node, string? problem)
    {
        var validation = new IptablesPlan(application, node).Validate();

        if (problem is null)
        {
            Assert.Null(validation);
        }
        else
        {
            Assert.Contains(problem, validation, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_backend_and_family_has_its_own_tools()
    {
        Assert.Equal("ip6tables-legacy-restore", new IptablesTools(IptablesBackend.Legacy, IPv6: true).Restore);
        Assert.Equal("iptables-nft", new IptablesTools(IptablesBackend.Nft, IPv6: false).Iptables);
    }
}
