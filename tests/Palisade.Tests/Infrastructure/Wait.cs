namespace Palisade.Tests.Infrastructure;

/// <summary>Waits on conditions, never on fixed times.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            bool met;
            try
            {
                met = await condition();
            }
            catch (HttpRequestException)
            {
                met = false;
            }

            if (met)
            {
                return;
            }

            try
            {
                await Task.Delay(25, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }
        }
    }
}
