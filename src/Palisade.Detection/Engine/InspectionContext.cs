using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Palisade.Detection.Detectors.Xss;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;
using Palisade.Detection.Points;

namespace Palisade.Detection.Engine;

/// <summary>
/// The state of one request's inspection: it receives every value the parsers find, runs each detector on
/// it, then peels the encodings the value plausibly carries (percent, HTML entities, JavaScript escapes,
/// base64, JWT) and parses decoded containers (JSON) into child points, recursively, within the request's
/// budgets (decode depth, decoded characters, points, time). Running out of a budget is recorded, never thrown.
/// </summary>
internal sealed class InspectionContext : IPointVisitor
{
    private const int TimeCheckInterval = 64;

    private readonly DetectorSet _detectors;
    private readonly InspectionOptions _options;
    private readonly long _decodedBudget;
    private readonly long _deadline;
    private List<Finding>? _findings;
    private int _baseDepth;
    private ulong _baseFound;

    /// <param name="detectors">The detectors.</param>
    /// <param name="options">Budgets and policies.</param>
    /// <param name="requestSize">Characters in the request, the base of the decoded-size budget.</param>
    public InspectionContext(DetectorSet detectors, InspectionOptions options, long requestSize = 0)
    {
        _detectors = detectors;
        _options = options;
        _decodedBudget = Math.Max(options.MinDecodedBudget, requestSize * options.MaxDecodedRatio);
        _deadline = options.MaxInspectionTime > TimeSpan.Zero
            ? Stopwatch.GetTimestamp() + (long)(options.MaxInspectionTime.TotalSeconds * Stopwatch.Frequency)
            : long.MaxValue;
    }

    public int Points { get; private set; }

    /// <summary>Shown every value the detectors see; null on the request path.</summary>
    public IInspectionObserver? Observer { get; init; }

    /// <summary>Characters produced by decoders so far.</summary>
    public long DecodedChars { get; private set; }

    public bool BudgetExceeded => ExceededBudget is not null;

    /// <summary>The first budget that ran out (<c>points</c>, <c>decoded</c>, <c>depth</c>, <c>decompressed</c>, <c>time</c>), or null.</summary>
    public string? ExceededBudget { get; private set; }

    public IReadOnlyList<Finding> Findings => _findings ?? (IReadOnlyList<Finding>)[];

    public void Visit(Point point, ReadOnlySpan<char> value, in ValueOrigin origin) =>
        Inspect(point, value, origin, _baseDepth, _baseFound);

    /// <summary>
    /// A header value that matches its header's own grammar: only detectors that judge such values see it,
    /// and it has no encodings to peel.
    /// </summary>
    public void VisitWellFormed(Point point, ReadOnlySpan<char> value, in ValueOrigin origin)
    {
        Inspect(point, value, origin, _baseDepth, _baseFound | _detectors.WellFormedSkips, decode: false);
    }

    /// <summary>Adds the <c>overlimit</c> finding when a budget ran out and the policy blocks.</summary>
    public void Complete()
    {
        if (ExceededBudget is null || _options.OverlimitPolicy != OverlimitPolicy.Block)
        {
            return;
        }

        var reason = ExceededBudget switch
        {
            "points" => "too many values to inspect",
            "decoded" => "decoded size exceeds the budget",
            "depth" => "encodings nested deeper than the budget",
            "decompressed" => "decompressed body exceeds the budget",
            _ => "inspection time exceeds the budget",
        };
        (_findings ??= []).Add(new Finding(AttackType.Overlimit, "request", "engine.budget", reason, ExceededBudget, 100));
    }

    /// <summary>Records that a parser gave up on a part of the request because it exceeded a budget.</summary>
    public void Exceed(string budget) => ExceededBudget ??= budget;

    private void Inspect(Point point, ReadOnlySpan<char> value, in ValueOrigin origin, int decodeDepth, ulong alreadyFound, bool decode = true)
    {
        if (value.IsEmpty || ExceededBudget is not null)
        {
            return;
        }

        if (Points >= _options.MaxPoints)
        {
            Exceed("points");
            return;
        }

        Points++;
        if (Points % TimeCheckInterval == 0 && Stopwatch.GetTimestamp() > _deadline)
        {
            Exceed("time");
            return;
        }

        Observer?.Inspected(point, value, origin);

        // Detectors that fired already, that do not judge this source, or whose characters the value lacks, are not asked.
        // The value's characters are only gathered when they can rule a detector out or a decoder needs them (a
        // well-formed header is asked only of detectors that read any value).
        var found = alreadyFound;
        var ask = _detectors.Judging(origin.Source) & ~found;
        var present = default(CharacterMask);
        if (decode || (ask & ~_detectors.MatchesAnyValue) != 0)
        {
            present = CharacterMask.Of(value);
            ask = _detectors.Candidates(present, origin.Source) & ~found;
        }

        // Each detector is handed the characters with the origin (overwritten: a parser's origin never carries another value's).
        var judged = origin with { Characters = present };
        while (ask != 0)
        {
            var i = DetectorSet.TakeLowest(ref ask);
            if (_detectors.TryDetect(i, value, judged, out var match))
            {
                found |= 1UL << i;
                Record(i, point, value, match);
            }
        }

        if (decode)
        {
            Decode(point, value, present, origin, decodeDepth, found);
        }
    }

    // Apart from Inspect, which runs for every value: its frame then holds none of the references a finding needs,
    // and is that much cheaper to set up.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Record(int detectorIndex, Point point, ReadOnlySpan<char> value, in DetectorMatch match)
    {
        var detector = _detectors.Detectors[detectorIndex];
        var evidence = EvidenceFormatter.Format(value, match, EvidenceFormatter.IsSecretPoint(point));
        (_findings ??= []).Add(new Finding(detector.AttackType, point.ToString(), detector.Id, match.Reason, evidence, match.Score));
    }

    // Each decoder that applies yields a child point named after it; a detector that already fired on the
    // value is not asked again about what the value decodes to.
    // The value's character mask rules most decoders out without another pass over the value.
    private void Decode(Point point, ReadOnlySpan<char> value, in CharacterMask present, in ValueOrigin origin, int decodeDepth, ulong found)
    {
        if (value.Length < 2)
        {
            return;
        }

        var nested = decodeDepth > 0;
        if (decodeDepth >= _options.MaxDecodeDepth)
        {
            // Only an encoding left to peel at the limit counts as exceeding it.
            if (ValueDecoding.MayBeEncoded(value))
            {
                Exceed("depth");
            }

            return;
        }

        // Query and form values were form-decoded once; a second round keeps form semantics ('+' is a space).
        var plusAsSpace = origin.Source is ValueSource.Query or ValueSource.Form;
        var percent = present.Has('%') || (plusAsSpace && present.Has('+')) ? PercentDecoder.Decode(value, plusAsSpace) : null;
        if (percent is not null)
        {
            Inspect(point.Decoded("percent"), Charge(percent), origin, decodeDepth + 1, found);
        }

        if (present.Has('&') && ValueDecoding.MayHoldEntities(value))
        {
            var entities = DecodeEntities(value);
            if (entities is not null)
            {
                Inspect(point.Decoded("html"), Charge(entities), origin, decodeDepth + 1, found);
            }
        }

        if (present.Has('\\') && origin.Source != ValueSource.Json)
        {
            var escapes = JsEscapeDecoder.Decode(value);
            if (escapes is not null)
            {
                Inspect(point.Decoded("js"), Charge(escapes), origin, decodeDepth + 1, found);
            }
        }

        if (value.Length >= Base64TextDecoder.MinLength)
        {
            if (JwtDecoder.TryDecode(value, out var header, out var payload))
            {
                var jwt = point.Decoded("jwt");
                InspectJson(jwt.Key("header"), Charge(header), origin, decodeDepth + 1);
                InspectJson(jwt.Key("payload"), Charge(payload), origin, decodeDepth + 1);
                return;
            }

            var base64 = Base64TextDecoder.Decode(value);
            if (base64 is not null)
            {
                var child = point.Decoded("base64");
                Inspect(child, Charge(base64), origin, decodeDepth + 1, found);
                InspectContainer(child, base64, origin, decodeDepth + 1);
            }
        }

        // JSON text sent as a parameter, cookie or header value: its members become points of their own.
        if (!nested && origin.Source is ValueSource.Query or ValueSource.Cookie or ValueSource.Header && ValueDecoding.LooksLikeJsonText(value))
        {
            InspectJson(point.Decoded("json"), value, origin, decodeDepth + 1);
        }

        // An XML document sent as a field (a SOAP envelope in a form field, an XML upload, a JSON member): its
        // elements, attributes and text become points of their own.
        if (present.Has('<') && origin.Source != ValueSource.Body && !origin.IsName && XmlBodyParser.LooksLikeXmlText(value))
        {
            InspectXml(point.Decoded("xml"), value, origin, decodeDepth + 1);
        }
    }

    private void InspectXml(Point root, ReadOnlySpan<char> xml, in ValueOrigin origin, int depth)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(xml.Length));
        var saved = (_baseDepth, _baseFound);
        (_baseDepth, _baseFound) = (depth, 0);
        try
        {
            var count = Encoding.UTF8.GetBytes(xml, rented);
            XmlBodyParser.Parse(rented.AsSpan(0, count), _options.MaxJsonDepth, root, origin, this);
        }
        finally
        {
            (_baseDepth, _baseFound) = saved;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // A decoded value that is itself a container is parsed: JSON documents and, for values no one would
    // write by hand (decoded base64), forms.
    private void InspectContainer(Point point, string decoded, in ValueOrigin origin, int depth)
    {
        if (ValueDecoding.LooksLikeJsonText(decoded))
        {
            InspectJson(point.Decoded("json"), decoded, origin, depth);
        }
        else if (ValueDecoding.LooksLikeFormPairs(decoded))
        {
            var saved = (_baseDepth, _baseFound);
            (_baseDepth, _baseFound) = (depth, 0);
            try
            {
                UrlEncodedParser.Parse(decoded, point.Decoded("form"), origin.Source, this);
            }
            finally
            {
                (_baseDepth, _baseFound) = saved;
            }
        }
    }

    private void InspectJson(Point root, ReadOnlySpan<char> json, in ValueOrigin origin, int depth)
    {
        if (!ValueDecoding.LooksLikeJsonText(json))
        {
            // A JWT segment or a value that only starts like JSON: inspect it as text.
            Inspect(root, json, origin, depth, 0);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var count = Encoding.UTF8.GetBytes(json, rented);
            var bytes = rented.AsMemory(0, count);
            var saved = (_baseDepth, _baseFound);
            (_baseDepth, _baseFound) = (depth, 0);
            try
            {
                if (!JsonBodyParser.Parse(bytes.Span, isPrefix: false, _options.MaxJsonDepth, root, this))
                {
                    Inspect(root, json, origin, depth, 0);
                }
            }
            finally
            {
                (_baseDepth, _baseFound) = saved;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string? DecodeEntities(ReadOnlySpan<char> value)
    {
        var rented = ArrayPool<char>.Shared.Rent(value.Length);
        try
        {
            var written = HtmlEntityDecoder.Decode(value, rented.AsSpan(0, value.Length), inAttribute: true);
            var decoded = rented.AsSpan(0, written);
            return decoded.SequenceEqual(value) ? null : decoded.ToString();
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private string Charge(string decoded)
    {
        DecodedChars += decoded.Length;
        if (DecodedChars > _decodedBudget)
        {
            Exceed("decoded");
        }

        return decoded;
    }
}
