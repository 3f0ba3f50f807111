using System.Reflection;
using Palisade.Detection.Snapshots;

namespace Palisade.Benchmarks;

/// <summary>
/// The requests the benchmarks inspect, as the node would hand them to the engine: raw target, every header
/// field in order, body bytes. Realistic rather than minimal, so the numbers mean something per request.
/// </summary>
public static class Requests
{
    /// <summary>A product listing with five query parameters, as a shop's filter form sends it.</summary>
    public const string CleanGetTarget = "/products/42/reviews?page=2&sort=newest&lang=en&rating=4&q=battery+life";

    public const string SqliGetTarget = "/products/42/reviews?page=2&sort=newest&id=42%27%20UNION%20SELECT%20username%2C%20password%20FROM%20users--";

    public const string OrdersTarget = "/api/orders";

    public const string ReviewsTarget = "/api/products/42/reviews";

    /// <summary>What a current desktop browser sends for a same-origin page: 13 fields and a cookie.</summary>
    public static readonly HttpHeader[] BrowserHeaders =
    [
        new("Host", "shop.example.com"),
        new("Connection", "keep-alive"),
        new("sec-ch-ua", "\"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\""),
        new("sec-ch-ua-mobile", "?0"),
        new("sec-ch-ua-platform", "\"Windows\""),
        new("Upgrade-Insecure-Requests", "1"),
        new("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
        new("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8"),
        new("Sec-Fetch-Site", "same-origin"),
        new("Sec-Fetch-Mode", "navigate"),
        new("Sec-Fetch-Dest", "document"),
        new("Referer", "https://shop.example.com/products/42?utm_source=newsletter&utm_medium=email"),
        new("Accept-Encoding", "gzip, deflate, br, zstd"),
        new("Accept-Language", "en-US,en;q=0.9,de;q=0.8"),
        new("Cookie", "session=8f3c1e9a4b7d2f60a1c5e8b3d9f7a2c4; cart=3%7Cbk-9781492056%2Chw-usb-c-2m; _ga=GA1.2.1234567890.1732623807; theme=dark"),
    ];

    /// <summary>What a single-page application's fetch() sends with a JSON body.</summary>
    public static readonly HttpHeader[] ApiHeaders =
    [
        new("Host", "shop.example.com"),
        new("Connection", "keep-alive"),
        new("Content-Length", "1024"),
        new("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
        new("Content-Type", "application/json"),
        new("Accept", "application/json, text/plain, */*"),
        new("Origin", "https://shop.example.com"),
        new("Sec-Fetch-Site", "same-origin"),
        new("Sec-Fetch-Mode", "cors"),
        new("Sec-Fetch-Dest", "empty"),
        new("Referer", "https://shop.example.com/checkout"),
        new("Accept-Encoding", "gzip, deflate, br, zstd"),
        new("Accept-Language", "en-US,en;q=0.9,de;q=0.8"),
        new("Cookie", "session=8f3c1e9a4b7d2f60a1c5e8b3d9f7a2c4; cart=3%7Cbk-9781492056%2Chw-usb-c-2m; theme=dark"),
    ];

    /// <summary>The 1 KiB order of the load benchmark (bench/load/body-1k.json), clean.</summary>
    public static readonly byte[] CleanJsonBody = ReadResource("body-1k.json");

    /// <summary>A product review of about the same size, with a stored-XSS payload in a nested string.</summary>
    public static readonly byte[] XssJsonBody = """
        {"productId":42,"rating":5,"author":{"name":"Maria Lindqvist","email":"maria.lindqvist@example.com","verifiedBuyer":true},
        "review":{"title":"Exactly what I needed","body":"Solid build, fast delivery.<img src=x onerror=alert(document.cookie)>",
        "pros":["battery life","keyboard feel","price"],"cons":["no backlight"],"language":"en"},
        "context":{"orderId":"ord_2024_118734","purchasedAt":"2025-11-02T09:12:44Z","channel":"web","locale":"en-US",
        "device":{"type":"desktop","os":"Windows 11","browser":"Chrome 131"}},"consent":{"publishName":true,"contactMe":false},
        "images":[{"url":"https://cdn.example.com/u/48213/rev-1.jpg","caption":"On my desk"},{"url":"https://cdn.example.com/u/48213/rev-2.jpg","caption":"Side view"}]}
        """u8.ToArray();

    /// <summary>About 64 KiB of JSON: an order export, the 1 KiB order repeated in an array.</summary>
    public static readonly byte[] LargeJsonBody = BuildLargeJson(64 * 1024);

    public static RequestSnapshot CleanGet() => Get(CleanGetTarget);

    public static RequestSnapshot LargeJsonPost() => Post(OrdersTarget, LargeJsonBody);

    /// <summary>A POST with <paramref name="body"/> of <paramref name="contentType"/>, headers as a fetch() sends them.</summary>
    public static RequestSnapshot PostAs(string contentType, byte[] body) =>
        new("POST", OrdersTarget, [.. ApiHeaders.Where(h => h.Name != "Content-Type"), new("Content-Type", contentType)]) { Body = body };

    public static RequestSnapshot SqliGet() => Get(SqliGetTarget);

    public static RequestSnapshot CleanJsonPost() => Post(OrdersTarget, CleanJsonBody);

    public static RequestSnapshot XssJsonPost() => Post(ReviewsTarget, XssJsonBody);

    // As RequestSnapshotFactory in the node does it: a fresh list of the header fields per request.
    private static RequestSnapshot Get(string target) =>
        new("GET", target, new List<HttpHeader>(BrowserHeaders));

    private static RequestSnapshot Post(string target, byte[] body) =>
        new("POST", target, new List<HttpHeader>(ApiHeaders)) { Body = body };

    private static byte[] BuildLargeJson(int size)
    {
        var order = System.Text.Encoding.UTF8.GetString(CleanJsonBody).Trim();
        var json = new System.Text.StringBuilder("[");
        while (json.Length + order.Length + 2 < size)
        {
            json.Append(json.Length > 1 ? "," : "").Append(order);
        }

        return System.Text.Encoding.UTF8.GetBytes(json.Append(']').ToString());
    }

    private static byte[] ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
