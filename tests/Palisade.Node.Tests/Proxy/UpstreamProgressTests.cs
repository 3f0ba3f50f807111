using Palisade.Node.Proxy;

namespace Palisade.Node.Tests.Proxy;

public sealed class UpstreamProgressTests
{
    [Fact]
    public async Task Silence_GrowsWhileNothingIsRead_AndRestartsWithEachRead()
    {
        using var progress = new UpstreamProgress(new ByteArrayContent("some body"u8.ToArray()));
        await using var stream = await progress.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.True(progress.Silence >= TimeSpan.FromMilliseconds(150), progress.Silence.ToString());

        var buffer = new byte[4];
        Assert.Equal(4, await stream.ReadAsync(buffer, TestContext.Current.CancellationToken));
        Assert.True(progress.Silence < TimeSpan.FromMilliseconds(150), progress.Silence.ToString());
        Assert.Equal("some", System.Text.Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public async Task Body_PassesThroughUnchanged()
    {
        using var progress = new UpstreamProgress(new ByteArrayContent("exactly these bytes"u8.ToArray()));
        Assert.Equal("exactly these bytes", await progress.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
