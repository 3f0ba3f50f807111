using Palisade.Detection.Verdicts;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>One node in block mode in front of the recording application, shared by a test class.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public NodeUnderTest Node { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.Block });

    public async ValueTask DisposeAsync() => await Node.DisposeAsync();
}
