using System.Text;
using Palisade.Detection.Detectors;
using Palisade.Detection.Parsing;
using Palisade.Detection.Points;
using Palisade.Detection.Snapshots;

namespace Palisade.Detection.Engine;

/// <summary>
/// Inspects a request: walks the path, query, headers, cookies and body into named points and runs every
/// detector on every value. Thread-safe; one instance serves all requests.
/// </summary>
public sealed class InspectionEngine
{
    private readonly IDetector[] _detectors;
    private readonly ulong _wellFormedSkips;

    public InspectionEngine(IEnumerable<IDetector> detectors, InspectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        _detectors = detectors.ToArray();
        Options = options ?? InspectionOptions.Default;
        if (_detectors.Length > 64)
        {
            throw new ArgumentException("At most 64 detectors are supported.", nameof(detectors));
        }

        for (var i = 0; i < _detectors.Length; i++)
        {
            if (!_detectors[i].JudgesWellFormedHeaders)
            {
                _wellFormedSkips |= 1UL << i;
            }
        }
    }

    public InspectionOptions Options { get; }

    public IReadOnlyList<IDetector> Detectors => _detectors;

    /// <summary>An engine with every built-in detector.</summary>
    public static InspectionEngine CreateDefault(InspectionOptions? options = null) =>
        new(BuiltInDetectors.Create(), options);

    public InspectionResult Inspect(RequestSnapshot request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = new InspectionContext(_detectors, Options, RequestSize(request), _wellFormedSkips);

        PathParser.Parse(request.RawPath, context);
        var query = request.RawQuery;
        if (!query.IsEmpty)
        {
            UrlEncodedParser.Parse(query, Point.Query, ValueSource.Query, context);
            if (!LooksLikePairs(query))
            {
                // "?1' or '1'='1": splitting on '=' and '&' cuts the payload apart; inspect it whole as well.
                context.Visit(Point.Query, PercentDecoder.DecodeOrSelf(query, plusAsSpace: true), new ValueOrigin(ValueSource.Query));
            }
        }

        InspectHeaders(request, context);
        InspectBody(request, context);
        context.Complete();
        return new InspectionResult(context.Findings, context.Points, context.BudgetExceeded);
    }

    private static long RequestSize(RequestSnapshot request)
    {
        long size = request.RawPath.Length + request.RawQuery.Length + request.Body.Length;
        foreach (var header in request.Headers)
        {
            size += header.Name.Length + header.Value.Length;
        }

        return size;
    }

    private static void InspectHeaders(RequestSnapshot request, InspectionContext context)
    {
        foreach (var header in request.Headers)
        {
            if (header.Name.Equals("cookie", StringComparison.OrdinalIgnoreCase))
            {
                CookieHeaderParser.Parse(header.Value, context);
                continue;
            }

            if (HeaderNames.IsStructural(header.Name))
            {
                continue;
            }

            var name = HeaderNames.Normalize(header.Name);
            var point = Point.Header.Key(name);
            var origin = new ValueOrigin(ValueSource.Header, Header: name);
            if (InertHeaderValues.IsInert(name, header.Value))
            {
                context.VisitWellFormed(point, header.Value, origin);
            }
            else
            {
                context.Visit(point, header.Value, origin);
            }

            InspectUrlQuery(header.Value, point, context);
        }
    }

    // A header holding an absolute URL (Referer, Origin, X-Original-URL...) carries parameters the
    // application may read back: header.referer|query.q.
    private static void InspectUrlQuery(string value, Point header, InspectionContext context)
    {
        if (!value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var question = value.IndexOf('?', StringComparison.Ordinal);
        if (question < 0 || question == value.Length - 1)
        {
            return;
        }

        var query = value.AsSpan(question + 1);
        var hash = query.IndexOf('#');
        UrlEncodedParser.Parse(hash < 0 ? query : query[..hash], header.Decoded("query"), ValueSource.Query, context);
    }

    private void InspectBody(RequestSnapshot request, InspectionContext context)
    {
        var body = request.Body.Span;
        if (body.IsEmpty)
        {
            return;
        }

        var contentType = request.GetHeader("content-type") ?? "";
        var raw = new ValueOrigin(ValueSource.Body);
        if (ContentTypes.IsMultipart(contentType))
        {
            var boundary = MultipartBodyParser.GetBoundary(contentType);
            if (boundary is not null && MultipartBodyParser.Parse(body, boundary, Options.MaxJsonDepth, context))
            {
                return;
            }
        }
        else if (ContentTypes.IsJson(contentType) || (contentType.Length == 0 && JsonBodyParser.LooksLikeJson(body)))
        {
            if (JsonBodyParser.Parse(body, request.BodyTruncated, Options.MaxJsonDepth, Point.BodyJson, context))
            {
                return;
            }
        }
        else if (ContentTypes.IsXml(contentType) || (contentType.Length == 0 && XmlBodyParser.LooksLikeXml(body)))
        {
            // XML is also inspected whole below: markup itself (SVG handlers, DOCTYPE) is part of the payload.
            XmlBodyParser.Parse(body, Options.MaxJsonDepth, context);
        }
        else if (ContentTypes.IsForm(contentType) || (contentType.Length == 0 && LooksLikePairs(body)))
        {
            var text = PercentDecoder.Utf8ToText(body);
            UrlEncodedParser.Parse(text, Point.BodyForm, ValueSource.Form, context);
            if (contentType.Length > 0 || LooksLikePairs(text))
            {
                return;
            }
        }

        // Anything else that is text (XML, plain text, a body that failed to parse as its declared type) is
        // inspected whole; binary bodies are left alone.
        if (!body.Contains((byte)0))
        {
            var text = PercentDecoder.Utf8ToText(body);
            context.Visit(Point.BodyRaw, text, raw);
            if (contentType.Length == 0)
            {
                InspectEncodedPairs(text, context);
            }
        }
    }

    // An untyped body that is a form only once decoded ("pay%3DAND+1%3D1") is read as the form it becomes.
    private static void InspectEncodedPairs(string text, InspectionContext context)
    {
        var decoded = PercentDecoder.Decode(text, plusAsSpace: false);
        if (decoded is not null && decoded.Contains('=', StringComparison.Ordinal) && LooksLikePairs(decoded))
        {
            UrlEncodedParser.Parse(decoded, Point.BodyRaw.Decoded("form"), ValueSource.Form, context);
        }
    }

    // "a=1&b=2": every pair has a plain name. Anything else ("1' or '1'='1", free text) is not a
    // well-formed list of pairs and deserves to be inspected as one value too.
    private static bool LooksLikePairs(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            var amp = text.IndexOf('&');
            var pair = amp < 0 ? text : text[..amp];
            text = amp < 0 ? [] : text[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            var decoded = PercentDecoder.Decode(key, plusAsSpace: true);
            if (!KeyNames.IsPlain(decoded ?? key))
            {
                return false;
            }
        }

        return true;
    }

    private static bool LooksLikePairs(ReadOnlySpan<byte> body)
    {
        if (body.Length > 64 * 1024 || body.IndexOfAny("\r\n"u8) >= 0 || body.IndexOf((byte)'=') < 0)
        {
            return false;
        }

        Span<char> chars = body.Length <= 1024 ? stackalloc char[body.Length] : new char[body.Length];
        var count = Encoding.Latin1.GetChars(body, chars);
        return LooksLikePairs(chars[..count]);
    }
}
