using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Palisade.Node.RateLimiting;

namespace Palisade.Node.Tests.RateLimiting;

/// <summary>Requests and rules for the rate-limit tests.</summary>
internal static class RateLimitTestRequests
{
    public static RateLimitRule Rule(string name = "api", int limit = 10, int windowSeconds = 60, string key = "ip") => new()
    {
        Name = name,
        Limit = limit,
        Window = TimeSpan.FromSeconds(windowSeconds),
        Key = RateLimitKeySource.Parse(key),
    };

    public static RateLimitRequest Request(
        string ip = "192.0.2.1",
        string path = "/api/items",
        string method = "GET",
        string host = "shop.example",
        IDictionary<string, string>? headers = null,
        string? json = null)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            dictionary[name] = value;
        }

        if (json is not null && !dictionary.ContainsKey("Content-Type"))
        {
            dictionary["Content-Type"] = "application/json";
        }

        return new RateLimitRequest(method, host, path, ip.Length == 0 ? null : IPAddress.Parse(ip), dictionary)
        {
            Body = json is null ? default : Encoding.UTF8.GetBytes(json),
        };
    }

    /// <summary>A token with the given payload JSON and a signature of no value: claims are read without checking it.</summary>
    public static string Bearer(string payloadJson, string signature = "c2lnbmF0dXJl") =>
        "Bearer " + Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + Base64Url(payloadJson) + "." + signature;

    /// <summary>Checks the request n times and returns how many were allowed.</summary>
    public static int Admitted(RateLimiter limiter, RateLimitRequest request, int n)
    {
        var admitted = 0;
        for (var i = 0; i < n; i++)
        {
            if (limiter.Check(request).IsAllowed)
            {
                admitted++;
            }
        }

        return admitted;
    }

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
