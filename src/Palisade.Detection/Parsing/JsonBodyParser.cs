using System.Buffers;
using System.Text.Json;
using Palisade.Detection.Points;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Walks a JSON document and visits every string value (<c>body.json.user.emails.0</c>) and every property
/// name that is not a plain identifier (<c>body.json.$where#name</c>). Escapes such as <c>\u0027</c> are
/// decoded by the reader, so the detectors see what the application's JSON parser will see. Duplicate keys
/// keep all their values. Numbers, booleans and nulls cannot carry an injection and are skipped.
/// </summary>
public static class JsonBodyParser
{
    // Points of one document taken from PointCache at most; the rest are made for this request only.
    private const int MaxSharedPoints = 256;

    /// <summary>Visits the document; false when it is not valid JSON (what was read so far was still visited).</summary>
    public static bool Parse(ReadOnlySpan<byte> json, bool isPrefix, int maxDepth, Point root, IPointVisitor visitor) =>
        Parse(json, isPrefix, maxDepth, root, visitor, out _);

    /// <summary>As <see cref="Parse(ReadOnlySpan{byte}, bool, int, Point, IPointVisitor)"/>; <paramref name="tooDeep"/> tells that it stopped at <paramref name="maxDepth"/>.</summary>
    public static bool Parse(ReadOnlySpan<byte> json, bool isPrefix, int maxDepth, Point root, IPointVisitor visitor, out bool tooDeep)
    {
        tooDeep = false;
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(visitor);
        var reader = new Utf8JsonReader(json, isFinalBlock: !isPrefix, new JsonReaderState(new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = maxDepth,
        }));

        var origin = new ValueOrigin(ValueSource.Json);
        var nameOrigin = origin with { IsName = true };
        var containers = new Stack<Frame>();

        // Points under a root are shared across requests (PointCache) as long as their parent is, for the first
        // members of a document: an API's small documents come back with the same shape, while a large one would
        // only evict them (and a missed parent makes every point below it miss as well).
        var current = new Frame(root, isArray: false, shared: root.Parent is null);
        var sharedLeft = MaxSharedPoints;
        Point? pendingProperty = null;
        var pendingShared = false;
        char[]? buffer = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var container = NextValuePoint(ref current, ref pendingProperty, pendingShared, ref sharedLeft, out var shared);
                        containers.Push(current);
                        current = new Frame(container, reader.TokenType == JsonTokenType.StartArray, shared);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        current = containers.Count > 0 ? containers.Pop() : current;
                        break;
                    case JsonTokenType.PropertyName:
                        scoped ReadOnlySpan<char> name;
                        pendingShared = current.Shared && sharedLeft > 0 && !reader.ValueIsEscaped && !reader.HasValueSequence;
                        if (pendingShared)
                        {
                            sharedLeft--;
                            pendingProperty = PointCache.Member(current.Point, reader.ValueSpan);
                            name = pendingProperty.Segment;
                        }
                        else
                        {
                            name = ReadString(ref reader, ref buffer);
                            pendingProperty = current.Point.Key(name.ToString());
                        }

                        if (!pendingProperty.IsPlainName)
                        {
                            visitor.Visit(pendingProperty.NameOf(), name, nameOrigin);
                        }

                        break;
                    case JsonTokenType.String:
                        var point = NextValuePoint(ref current, ref pendingProperty, pendingShared, ref sharedLeft, out _);
                        visitor.Visit(point, ReadString(ref reader, ref buffer), origin);
                        break;
                    default:
                        // Numbers, true, false, null: nothing to inspect, but they use up an array slot.
                        NextValuePoint(ref current, ref pendingProperty, pendingShared, ref sharedLeft, out _);
                        break;
                }
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            // A string with bytes that are not UTF-8: not JSON an application's parser would accept either. The
            // caller then inspects the body whole as text, so nothing in it goes uninspected.
            return false;
        }
        catch (JsonException)
        {
            // The reader refuses to open a container past MaxDepth: that is a budget, not just bad JSON.
            tooDeep = reader.CurrentDepth >= maxDepth - 1 && reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject or JsonTokenType.PropertyName or JsonTokenType.None;
            return false;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>True when the bytes start like a JSON object or array (after whitespace).</summary>
    public static bool LooksLikeJson(ReadOnlySpan<byte> body)
    {
        var i = body.IndexOfAnyExcept(" \t\r\n"u8);
        return i >= 0 && (body[i] == (byte)'{' || body[i] == (byte)'[');
    }

    private static Point NextValuePoint(ref Frame frame, ref Point? pendingProperty, bool pendingShared, ref int sharedLeft, out bool shared)
    {
        if (frame.IsArray)
        {
            shared = frame.Shared && sharedLeft > 0;
            var index = frame.NextIndex++;
            if (!shared)
            {
                return frame.Point.Index(index);
            }

            sharedLeft--;
            return PointCache.Item(frame.Point, index);
        }

        shared = pendingProperty is null ? frame.Shared : pendingShared;
        var point = pendingProperty ?? frame.Point;
        pendingProperty = null;
        return point;
    }

    private static ReadOnlySpan<char> ReadString(ref Utf8JsonReader reader, ref char[]? buffer)
    {
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (buffer is null || buffer.Length < length)
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }

            buffer = ArrayPool<char>.Shared.Rent(Math.Max(length, 256));
        }

        var written = reader.CopyString(buffer);
        return buffer.AsSpan(0, written);
    }

    private struct Frame(Point point, bool isArray, bool shared)
    {
        public readonly Point Point = point;
        public readonly bool IsArray = isArray;
        public readonly bool Shared = shared;
        public int NextIndex;
    }
}
