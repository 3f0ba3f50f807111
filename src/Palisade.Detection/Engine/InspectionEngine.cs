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
    private static readonly System.Buffers.SearchValues<char> HostCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]");

    private readonly DetectorSet _detectors;

    public InspectionEngine(IEnumerable<IDetector> detectors, InspectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        _detectors = new DetectorSet(detectors.ToArray());
        Options = options ?? InspectionOptions.Default;
    }

    public InspectionOptions Options { get; }

    public IReadOnlyList<IDetector> Detectors => _detectors.Detectors;

    /// <summary>An engine with every built-in detector.</summary>
    public static InspectionEngine CreateDefault(InspectionOptions? options = null) =>
        new(BuiltInDetectors.Create(), options);

    public InspectionResult Inspect(RequestSnapshot request) => Inspect(request, observer: null);

    /// <summary>Inspects the request and shows <paramref name="observer"/> every value the detectors see.</summary>
    public InspectionResult Inspect(RequestSnapshot request, IInspectionObserver? observer)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = new InspectionContext(_detectors, Options, RequestSize(request)) { Observer = observer };

        PathParser.Parse(request.RawPath, context);
        var query = request.RawQuery;
        if (!query.IsEmpty)
        {
            if (!UrlEncodedParser.ParsePairs(query, Point.Query, ValueSource.Query, context, sharedRoot: true))
            {
                // "?1' or '1'='1": splitting on '=' and '&' cuts the payload apart; inspect it whole as well.
                context.Visit(Point.Query, PercentDecoder.DecodeOrSelf(query, plusAsSpace: true), new ValueOrigin(ValueSource.Query));
            }
        }

        InspectHeaders(request, context);
        BodyInspector.Inspect(request, Options, context);
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
            var plan = HeaderNames.PlanFor(header.Name);
            if (plan.Handling == HeaderHandling.Cookie)
            {
                CookieHeaderParser.Parse(header.Value, context);
                continue;
            }

            if (plan.Handling == HeaderHandling.Skip)
            {
                continue;
            }

            var point = plan.Point;
            if (InertHeaderValues.IsInert(plan.Grammar, header.Value))
            {
                context.VisitWellFormed(point, header.Value, plan.Origin);
            }
            else
            {
                context.Visit(point, header.Value, plan.Origin);
            }

            InspectUrlQuery(header.Value, plan, context);
        }
    }

    // A header holding an absolute URL (Referer, Origin, X-Original-URL...) carries parameters the
    // application may read back: header.referer|query.q. A Referer or Origin written without its scheme
    // ("www.example.com/?q=..."), which no browser sends but an application parses all the same, too.
    private static void InspectUrlQuery(string value, HeaderPlan plan, InspectionContext context)
    {
        // Most header values are no URL: their first characters say so before the value is searched for a '?'.
        var absolute = value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!absolute && plan.Grammar != HeaderGrammar.PlainUrl)
        {
            return;
        }

        var question = value.IndexOf('?', StringComparison.Ordinal);
        if (question <= 0 || question == value.Length - 1 || (!absolute && !IsHostAndPath(value.AsSpan(0, question))))
        {
            return;
        }

        var query = value.AsSpan(question + 1);
        var hash = query.IndexOf('#');
        UrlEncodedParser.ParsePairs(hash < 0 ? query : query[..hash], plan.QueryPoint, ValueSource.Query, context, sharedRoot: true);
    }

    // "www.example.com", "example.com:8080/a/b": a host name with a dot, then an optional port and path, no blanks.
    private static bool IsHostAndPath(ReadOnlySpan<char> text)
    {
        var slash = text.IndexOf('/');
        var host = slash < 0 ? text : text[..slash];
        return host.Length > 2 && char.IsAsciiLetterOrDigit(host[0]) && host.Contains('.')
            && !host.ContainsAnyExcept(HostCharacters) && text.IndexOfAny(' ', '\t') < 0;
    }
}
