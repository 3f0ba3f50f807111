using Microsoft.AspNetCore.Http;
using Palisade.Node.Inspection;
using Palisade.Node.Lifecycle;

namespace Palisade.Node.Tests.Inspection;

public sealed class RequestBodyBufferTests
{
    [Fact]
    public async Task ReadAsync_HoldsItsBytesInTheBudgetUntilDisposed()
    {
        var budget = new BodyBufferBudget(16 << 20);
        var request = Request(new byte[100_000], chunked: true);

        var body = await RequestBodyBuffer.ReadAsync(request, 1 << 20, CancellationToken.None, budget);

        Assert.NotNull(body);
        Assert.Equal(100_000, body.Inspected.Length);
        // The buffer and the memory its inspection may take (twelve bytes a byte).
        Assert.InRange(budget.Reserved, 12 * 100_000, 16 << 20);
        body.Dispose();
        Assert.Equal(0, budget.Reserved);
    }

    [Fact]
    public async Task ReadAsync_ABodyThatOutgrowsTheBudget_ThrowsAndGivesEverythingBack()
    {
        var budget = new BodyBufferBudget(1 << 20);
        var request = Request(new byte[512 * 1024], chunked: true);

        await Assert.ThrowsAsync<BodyBufferBudgetExceededException>(async () => await RequestBodyBuffer.ReadAsync(request, 1 << 20, CancellationToken.None, budget));

        Assert.Equal(0, budget.Reserved);
    }

    [Fact]
    public async Task ReadAsync_AKnownLengthThatDoesNotFit_IsRefusedBeforeReading()
    {
        var budget = new BodyBufferBudget(128 * 1024);
        Assert.True(budget.TryReserve(40 * 1024));
        var source = new MemoryStream(new byte[8 * 1024]);
        var request = Request(source, length: 8 * 1024);

        await Assert.ThrowsAsync<BodyBufferBudgetExceededException>(async () => await RequestBodyBuffer.ReadAsync(request, 1 << 20, CancellationToken.None, budget));

        Assert.Equal(0, source.Position);
        Assert.Equal(40 * 1024, budget.Reserved);
    }

    private static HttpRequest Request(byte[] body, bool chunked) => Request(new MemoryStream(body), chunked ? null : body.Length);

    private static HttpRequest Request(Stream body, long? length)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Body = body;
        context.Request.ContentLength = length;
        return context.Request;
    }
}
