using Palisade.Detection.Parsing;
using Palisade.Detection.Snapshots;

namespace Palisade.Detection.Engine;

/// <summary>
/// Inspects a request body: undoes its <c>Content-Encoding</c> (within the decompression budget), then reads it
/// as its <c>Content-Type</c> declares and, when the bytes say otherwise (JSON sent as <c>text/plain</c>, XML sent
/// as a form), also as what they are, because the application may trust either. Text nothing could parse (plain
/// text, XML markup, a body that failed to parse as its declared type) is inspected whole; binary bodies are not.
/// </summary>
internal static class BodyInspector
{
    private enum BodyKind
    {
        None,
        Text,
        Multipart,
        Json,
        Xml,
        Form,
    }

    public static void Inspect(RequestSnapshot request, InspectionOptions options, InspectionContext context)
    {
        if (request.Body.IsEmpty)
        {
            return;
        }

        var contentType = request.GetHeader("content-type") ?? "";
        var status = ContentDecoder.Decode(request.Body, request.GetHeader("content-encoding"), options.MaxDecompressedBytes, options.MaxDecompressionRatio, out var decoded, out var coding);
        switch (status)
        {
            case ContentCodingStatus.None:
            case ContentCodingStatus.Undecodable:
                // No coding, or one the bytes are not in: the application that ignores the header reads them as sent.
                InspectViews(request.Body.Span, request.BodyTruncated, contentType, BodyRoots.Plain, options, context);
                break;
            case ContentCodingStatus.TooLarge:
                context.Exceed("decompressed");
                InspectViews(decoded.Span, isPrefix: true, contentType, BodyRoots.For(coding), options, context);
                break;
            default:
                InspectViews(decoded.Span, request.BodyTruncated || status == ContentCodingStatus.Partial, contentType, BodyRoots.For(coding), options, context);
                break;
        }
    }

    private static void InspectViews(ReadOnlySpan<byte> body, bool isPrefix, string contentType, BodyRoots roots, InspectionOptions options, InspectionContext context)
    {
        if (body.IsEmpty)
        {
            return;
        }

        if (UnicodeBody.TryTranscode(body, out var utf8))
        {
            // UTF-16/32 JSON or XML with its byte order mark: what the application's parser reads, in UTF-8.
            body = utf8.Span;
        }

        var declared = Declared(contentType);
        var parsed = declared switch
        {
            BodyKind.Multipart => MultipartBodyParser.GetBoundary(contentType) is { } boundary
                && MultipartBodyParser.Parse(body, boundary, options.MaxJsonDepth, roots.Multipart, context),
            BodyKind.Json => ParseJson(body, isPrefix, roots, options, context),
            BodyKind.Xml => ParseXml(body, roots, options, context),
            BodyKind.Form => ParseForm(body, roots, context),
            _ => false,
        };

        // What the bytes are, whatever the header says: a multipart body that parsed is nothing else.
        var sniffed = declared == BodyKind.Multipart && parsed ? BodyKind.None : Sniffed(body);
        if (sniffed != declared)
        {
            var parsedAsSniffed = sniffed switch
            {
                BodyKind.Json => ParseJson(body, isPrefix, roots, options, context),
                BodyKind.Xml => ParseXml(body, roots, options, context),
                BodyKind.Form => ParseForm(body, roots, context),
                _ => false,
            };

            // Without a declared type, what the bytes are is the only reading.
            parsed |= declared == BodyKind.None && parsedAsSniffed;
        }

        // Whole, too: a body its declared type could not parse, plain text, and XML (markup itself, SVG handlers
        // and DOCTYPEs, is part of the payload).
        var whole = !parsed || declared is BodyKind.Text or BodyKind.Xml || sniffed == BodyKind.Xml;
        if (whole && !body.Contains((byte)0))
        {
            var text = PercentDecoder.Utf8ToText(body);
            context.Visit(roots.Raw, text, new ValueOrigin(ValueSource.Body));
            if (declared == BodyKind.None)
            {
                InspectEncodedPairs(text, roots, context);
            }
        }
    }

    // Nesting past the depth budget is itself a finding (overlimit), never just "not JSON".
    private static bool ParseJson(ReadOnlySpan<byte> body, bool isPrefix, BodyRoots roots, InspectionOptions options, InspectionContext context)
    {
        var parsed = JsonBodyParser.Parse(body, isPrefix, options.MaxJsonDepth, roots.Json, context, out var tooDeep);
        if (tooDeep)
        {
            context.Exceed("depth");
        }

        return parsed;
    }

    private static BodyKind Declared(string contentType)
    {
        if (contentType.Length == 0)
        {
            return BodyKind.None;
        }

        if (ContentTypes.IsMultipart(contentType))
        {
            return BodyKind.Multipart;
        }

        if (ContentTypes.IsJson(contentType))
        {
            return BodyKind.Json;
        }

        if (ContentTypes.IsXml(contentType))
        {
            return BodyKind.Xml;
        }

        return ContentTypes.IsForm(contentType) ? BodyKind.Form : BodyKind.Text;
    }

    private static BodyKind Sniffed(ReadOnlySpan<byte> body)
    {
        if (JsonBodyParser.LooksLikeJson(body))
        {
            return BodyKind.Json;
        }

        if (XmlBodyParser.LooksLikeXml(body))
        {
            return BodyKind.Xml;
        }

        return PairShape.IsPairs(body) ? BodyKind.Form : BodyKind.None;
    }

    private static bool ParseXml(ReadOnlySpan<byte> body, BodyRoots roots, InspectionOptions options, InspectionContext context)
    {
        XmlBodyParser.Parse(body, options.MaxJsonDepth, roots.Xml, new ValueOrigin(ValueSource.Body), context);
        return true;
    }

    private static bool ParseForm(ReadOnlySpan<byte> body, BodyRoots roots, InspectionContext context)
    {
        UrlEncodedParser.Parse(PercentDecoder.Utf8ToText(body), roots.Form, ValueSource.Form, context);
        return true;
    }

    // An untyped body that is a form only once decoded ("pay%3DAND+1%3D1") is read as the form it becomes.
    private static void InspectEncodedPairs(string text, BodyRoots roots, InspectionContext context)
    {
        var decoded = PercentDecoder.Decode(text, plusAsSpace: false);
        if (decoded is not null && decoded.Contains('=', StringComparison.Ordinal) && PairShape.IsPairs(decoded))
        {
            UrlEncodedParser.Parse(decoded, roots.Raw.Decoded("form"), ValueSource.Form, context);
        }
    }
}
