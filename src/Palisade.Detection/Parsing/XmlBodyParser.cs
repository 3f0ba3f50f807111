using System.Xml;
using Palisade.Detection.Points;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Walks an XML document and visits what an application reads out of it, with character and predefined
/// entities decoded: element text and CDATA (<c>body.xml.order.note</c>), attribute values
/// (<c>body.xml.order.item.@sku</c>), comments and processing instructions. The document type declaration is
/// not processed and no external resource is ever fetched.
/// </summary>
public static class XmlBodyParser
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        CheckCharacters = false,
        IgnoreWhitespace = true,
        MaxCharactersFromEntities = 1024,
        CloseInput = false,
    };

    /// <summary>Visits the document; false when it is not well-formed (what was read so far was still visited).</summary>
    public static bool Parse(ReadOnlySpan<byte> xml, int maxDepth, IPointVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var origin = new ValueOrigin(ValueSource.Body);
        var elements = new Stack<Point>();
        var current = Point.BodyXml;
        using var stream = new MemoryStream(xml.ToArray(), writable: false);
        try
        {
            using var reader = XmlReader.Create(stream, Settings);
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (elements.Count >= maxDepth)
                        {
                            return false;
                        }

                        var element = current.Key(reader.LocalName);
                        if (reader.MoveToFirstAttribute())
                        {
                            do
                            {
                                visitor.Visit(element.Key("@" + reader.LocalName), reader.Value, origin);
                            }
                            while (reader.MoveToNextAttribute());
                            reader.MoveToElement();
                        }

                        if (!reader.IsEmptyElement)
                        {
                            elements.Push(current);
                            current = element;
                        }

                        break;
                    case XmlNodeType.EndElement:
                        current = elements.Count > 0 ? elements.Pop() : Point.BodyXml;
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                        visitor.Visit(current, reader.Value, origin);
                        break;
                    case XmlNodeType.Comment:
                        visitor.Visit(current.Key("!comment"), reader.Value, origin);
                        break;
                    case XmlNodeType.ProcessingInstruction:
                        visitor.Visit(current.Key("?" + reader.LocalName), reader.Value, origin);
                        break;
                }
            }

            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    /// <summary>True when the bytes start (after whitespace) with an XML declaration.</summary>
    public static bool LooksLikeXml(ReadOnlySpan<byte> body)
    {
        var i = body.IndexOfAnyExcept(" \t\r\n"u8);
        return i >= 0 && body[i..].StartsWith("<?xml"u8);
    }
}
