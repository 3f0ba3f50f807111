using System.Xml;
using Palisade.Detection.Points;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Walks an XML document and visits what an application reads out of it, with character and predefined
/// entities decoded: element text and CDATA (<c>body.xml.order.note</c>), attribute values
/// (<c>body.xml.order.item.@sku</c>), comments and processing instructions. Text split into several pieces (CDATA
/// sections, text around a comment) is visited once more joined, as <c>InnerText</c> gives it to the application.
/// The document type declaration is not processed and no external resource is ever fetched.
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
    public static bool Parse(ReadOnlySpan<byte> xml, int maxDepth, IPointVisitor visitor) =>
        Parse(xml, maxDepth, Point.BodyXml, new ValueOrigin(ValueSource.Body), visitor);

    /// <summary>Visits the document under <paramref name="root"/> (a decoded body, or XML inside a field).</summary>
    public static bool Parse(ReadOnlySpan<byte> xml, int maxDepth, Point root, ValueOrigin origin, IPointVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(visitor);
        var elements = new Stack<Point>();
        var current = root;
        var text = new SplitText();
        using var stream = new MemoryStream(xml.ToArray(), writable: false);
        try
        {
            using var reader = XmlReader.Create(stream, Settings);
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        text.Flush(current, origin, visitor);
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
                        text.Flush(current, origin, visitor);
                        current = elements.Count > 0 ? elements.Pop() : root;
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                        var value = reader.Value;
                        visitor.Visit(current, value, origin);
                        text.Add(value);
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
        catch (ArgumentException)
        {
            // System.Xml's reader can fail on a malformed declaration with an argument exception of its own buffer
            // code (an encoding switch on bytes it cannot decode): malformed XML all the same.
            return false;
        }
    }

    // The text pieces of the element being read; joined and visited when there was more than one.
    private sealed class SplitText
    {
        private string? _first;
        private System.Text.StringBuilder? _joined;

        public void Add(string piece)
        {
            if (_first is null)
            {
                _first = piece;
                return;
            }

            _joined ??= new System.Text.StringBuilder(_first);
            _joined.Append(piece);
        }

        public void Flush(Point point, ValueOrigin origin, IPointVisitor visitor)
        {
            if (_joined is not null)
            {
                visitor.Visit(point, _joined.ToString(), origin);
            }

            _first = null;
            _joined = null;
        }
    }

    /// <summary>True when the text starts (after whitespace) with an XML declaration or a DOCTYPE and ends with a tag.</summary>
    public static bool LooksLikeXmlText(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        return text.Length > 8 && text[^1] == '>'
            && (text.StartsWith("<?xml", StringComparison.Ordinal) || text.StartsWith("<!DOCTYPE", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True when the bytes start (after whitespace) with an XML declaration.</summary>
    public static bool LooksLikeXml(ReadOnlySpan<byte> body)
    {
        var i = body.IndexOfAnyExcept(" \t\r\n"u8);
        return i >= 0 && body[i..].StartsWith("<?xml"u8);
    }
}
