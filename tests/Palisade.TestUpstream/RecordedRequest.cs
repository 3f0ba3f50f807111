namespace Palisade.TestUpstream;

/// <summary>One request as it arrived on the wire: the head bytes (request line and headers) and the body bytes (de-chunked).</summary>
internal sealed record RecordedRequest(byte[] Head, byte[] Body, bool Chunked)
{
    public string RequestLine => System.Text.Encoding.Latin1.GetString(Head).Split("\r\n")[0];

    public string Target => RequestLine.Split(' ')[1];

    public string? Header(string name)
    {
        foreach (var line in System.Text.Encoding.Latin1.GetString(Head).Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
