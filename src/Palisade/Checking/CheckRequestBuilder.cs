using System.Text;
using Palisade.Detection.Snapshots;

namespace Palisade.Checking;

/// <summary>Builds the request <c>palisade check</c> inspects from its command-line parts.</summary>
internal static class CheckRequestBuilder
{
    /// <summary>
    /// <paramref name="url"/> is a request-target (<c>/search?q=1</c>) or an absolute URL whose host becomes
    /// the Host header; <paramref name="headers"/> are <c>Name: value</c> lines.
    /// </summary>
    public static RequestSnapshot Build(string method, string url, IEnumerable<string> headers, string? body)
    {
        var target = url;
        string? host = null;
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            // Keep the path and query exactly as typed: take the text after the authority.
            var afterScheme = url.IndexOf("://", StringComparison.Ordinal) + 3;
            var slash = url.IndexOf('/', afterScheme);
            var question = url.IndexOf('?', afterScheme);
            var start = slash < 0 ? question : question < 0 ? slash : Math.Min(slash, question);
            target = start < 0 ? "/" : url[start..];
            if (target.StartsWith('?'))
            {
                target = "/" + target;
            }

            host = absolute.Authority;
        }
        else if (!url.StartsWith('/'))
        {
            throw new FormatException($"--url must be a request-target starting with '/' or an http(s) URL, not '{url}'");
        }

        var list = new List<HttpHeader>();
        if (host is not null)
        {
            list.Add(new HttpHeader("Host", host));
        }

        foreach (var line in headers)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"--header must look like 'Name: value', not '{line}'");
            }

            list.Add(new HttpHeader(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return new RequestSnapshot(method.ToUpperInvariant(), target, list)
        {
            Body = body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body),
        };
    }
}
