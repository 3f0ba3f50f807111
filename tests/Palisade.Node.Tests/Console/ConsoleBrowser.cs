using Microsoft.Playwright;

namespace Palisade.Node.Tests.Console;

/// <summary>
/// The system's chromium (Debian's <c>/usr/bin/chromium</c>, or <c>PALISADE_CHROMIUM</c>), headless, driven by
/// Playwright. Playwright's driver (a Node.js binary and its package) comes in the NuGet package and is copied to
/// <c>bin/.playwright</c> by the build; no browser is downloaded. A missing chromium fails the test, with the fix.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>What the pages opened by <see cref="NewPageAsync"/> reported as errors (console errors, uncaught exceptions).</summary>
    public List<string> Errors { get; } = [];

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("PALISADE_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"the console's browser tests need chromium at {executable}: apt-get install chromium (.ci/run does), or set PALISADE_CHROMIUM to its path");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
            return new ConsoleBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page in a context of its own (its own sessionStorage), its errors recorded in <see cref="Errors"/>.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (Errors)
                {
                    Errors.Add($"console: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (Errors)
            {
                Errors.Add($"page error: {error}");
            }
        };
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
