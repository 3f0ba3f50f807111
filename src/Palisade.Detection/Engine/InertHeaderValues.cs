using System.Buffers;

namespace Palisade.Detection.Engine;

/// <summary>
/// Recognises header values that are well-formed instances of their header's own grammar, and therefore
/// cannot carry an injection: a browser's <c>Accept</c> list, <c>Accept-Language</c>, a <c>Host</c>, a client-hint
/// brand list, a URL with a plain path. Such values make up most header bytes of real traffic and are skipped
/// by the detectors; anything that strays from the grammar (a quote, a bracket, words without separators) is
/// inspected as usual. The check is one linear pass without allocation.
/// </summary>
internal static class InertHeaderValues
{
    // RFC 9110 token characters without the quote-like ones an injection needs ('`).
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&*+-.^_|~");

    // What Chromium puts in client-hint brand names ("Not)A;Brand", "Not/A)Brand") and versions.
    private static readonly SearchValues<char> BrandChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ()-./:;=?_");

    private static readonly SearchValues<char> HostChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]");

    // Product names and versions of a User-Agent ("AppleWebKit/537.36", "rv:128.0" inside comments).
    private static readonly SearchValues<char> ProductChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._");

    // What a browser puts between the parentheses of a User-Agent comment: words, versions, ";" and ",".
    private static readonly SearchValues<char> CommentChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -._:;,");

    // Media types and their parameters ("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk").
    private static readonly SearchValues<char> MediaTypeChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._+");

    private static readonly SearchValues<char> PlainUrlChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/:@%+,");

    /// <param name="name">The header name in lower case.</param>
    /// <param name="value">The header value.</param>
    public static bool IsInert(string name, string value) => IsInert(GrammarOf(name), value);

    /// <summary>The grammar of the header, by its name in lower case.</summary>
    public static HeaderGrammar GrammarOf(string name) => name switch
    {
        "accept" or "accept-language" or "accept-charset" => HeaderGrammar.ParameterList,
        "host" => HeaderGrammar.Host,
        "sec-ch-ua" or "sec-ch-ua-full-version-list" or "sec-ch-ua-platform" or "sec-ch-ua-platform-version"
            or "sec-ch-ua-arch" or "sec-ch-ua-bitness" or "sec-ch-ua-model" or "sec-ch-ua-full-version" => HeaderGrammar.BrandList,
        "referer" or "origin" => HeaderGrammar.PlainUrl,
        "user-agent" => HeaderGrammar.ProductList,
        "content-type" => HeaderGrammar.MediaType,
        _ => HeaderGrammar.None,
    };

    /// <summary>True when the value is a well-formed instance of the grammar.</summary>
    public static bool IsInert(HeaderGrammar grammar, string value) => grammar switch
    {
        HeaderGrammar.ParameterList => IsParameterList(value),
        HeaderGrammar.Host => value.Length <= 255 && value.AsSpan().IndexOfAnyExcept(HostChars) < 0,
        HeaderGrammar.BrandList => IsBrandList(value),
        HeaderGrammar.PlainUrl => IsPlainUrl(value),
        HeaderGrammar.ProductList => IsProductList(value),
        HeaderGrammar.MediaType => IsMediaType(value),
        _ => false,
    };

    // item *( "," item ), item = token [ "/" token ] *( ";" token "=" token ), optional whitespace around separators.
    private static bool IsParameterList(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (true)
        {
            SkipSpaces(s, ref i);
            if (!Token(s, ref i))
            {
                return false;
            }

            if (i < s.Length && s[i] == '/')
            {
                i++;
                if (!Token(s, ref i))
                {
                    return false;
                }
            }

            SkipSpaces(s, ref i);
            while (i < s.Length && s[i] == ';')
            {
                i++;
                SkipSpaces(s, ref i);
                if (!Token(s, ref i) || i >= s.Length || s[i] != '=')
                {
                    return false;
                }

                i++;
                if (!Token(s, ref i))
                {
                    return false;
                }

                SkipSpaces(s, ref i);
            }

            if (i == s.Length)
            {
                return true;
            }

            if (s[i] != ',')
            {
                return false;
            }

            i++;
        }
    }

    // Structured-field list of short quoted strings with parameters: "Chromium";v="131", "Not_A Brand";v="24".
    private static bool IsBrandList(ReadOnlySpan<char> s)
    {
        if (s.Length > 512)
        {
            return false;
        }

        var i = 0;
        while (true)
        {
            SkipSpaces(s, ref i);
            if (!QuotedBrand(s, ref i))
            {
                return false;
            }

            while (i < s.Length && s[i] == ';')
            {
                i++;
                if (!Token(s, ref i) || i >= s.Length || s[i] != '=')
                {
                    return false;
                }

                i++;
                if (!QuotedBrand(s, ref i))
                {
                    return false;
                }
            }

            SkipSpaces(s, ref i);
            if (i == s.Length)
            {
                return true;
            }

            if (s[i] != ',')
            {
                return false;
            }

            i++;
        }
    }

    private static bool QuotedBrand(ReadOnlySpan<char> s, ref int i)
    {
        if (i >= s.Length || s[i] != '"')
        {
            return false;
        }

        var close = s[(i + 1)..].IndexOf('"');
        if (close < 0 || close > 40 || s.Slice(i + 1, close).IndexOfAnyExcept(BrandChars) >= 0)
        {
            return false;
        }

        i += close + 2;
        return true;
    }

    // product *( SP ( product / comment ) ), product = name [ "/" version ] (the first one versioned, the
    // others versioned or a capitalised word), comment = "(" words ")" without
    // nesting, slashes, "..", or a word that only injections use: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0)
    // Gecko/20100101 Firefox/128.0". Bots that put URLs in their comments are inspected as usual.
    private static bool IsProductList(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || s.Length > 512 || s.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        var i = 0;
        while (true)
        {
            if (s[i] == '(')
            {
                var close = s[(i + 1)..].IndexOfAnyExcept(CommentChars);
                if (close < 0 || s[i + 1 + close] != ')' || InjectionWords.AnyIn(s.Slice(i + 1, close)))
                {
                    return false;
                }

                i += close + 2;
            }
            else
            {
                var start = i;
                if (!Product(s, ref i))
                {
                    return false;
                }

                if (i < s.Length && s[i] == '/')
                {
                    i++;
                    if (!Product(s, ref i))
                    {
                        return false;
                    }
                }
                else if (start == 0 || !char.IsAsciiLetterUpper(s[start]) || InjectionWords.AnyIn(s[start..i]))
                {
                    // A bare word ("Mobile") follows a versioned product and is capitalised; "time ifconfig" and
                    // "ORDER BY 12" are not User-Agents.
                    return false;
                }
            }

            if (i == s.Length)
            {
                return true;
            }

            if (s[i] != ' ')
            {
                return false;
            }

            SkipSpaces(s, ref i);
            if (i == s.Length)
            {
                return true;
            }
        }
    }

    // type "/" subtype *( ";" name "=" value ) with plain tokens only: "application/json; charset=utf-8".
    private static bool IsMediaType(ReadOnlySpan<char> s)
    {
        if (s.Length > 256)
        {
            return false;
        }

        var slash = s.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        var rest = s[(slash + 1)..];
        var semicolon = rest.IndexOf(';');
        if (!IsMediaToken(semicolon < 0 ? rest : rest[..semicolon]) || !IsMediaToken(s[..slash]))
        {
            return false;
        }

        while (semicolon >= 0)
        {
            rest = rest[(semicolon + 1)..].TrimStart(' ');
            semicolon = rest.IndexOf(';');
            var parameter = semicolon < 0 ? rest : rest[..semicolon];
            var eq = parameter.IndexOf('=');
            if (eq <= 0 || !IsMediaToken(parameter[..eq]) || !IsMediaToken(parameter[(eq + 1)..].TrimEnd(' ')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMediaToken(ReadOnlySpan<char> s) => !s.IsEmpty && s.IndexOfAnyExcept(MediaTypeChars) < 0;

    private static bool Product(ReadOnlySpan<char> s, ref int i)
    {
        var start = i;
        var length = s[i..].IndexOfAnyExcept(ProductChars);
        i = length < 0 ? s.Length : i + length;
        return i > start;
    }

    // scheme://authority/path with only unreserved path characters; no query (its parameters are inspected
    // on their own) and no fragment.
    private static bool IsPlainUrl(ReadOnlySpan<char> s)
    {
        var schemeEnd = s.IndexOf("://");
        if (schemeEnd <= 0 || schemeEnd > 10)
        {
            return false;
        }

        var rest = s[(schemeEnd + 3)..];
        var question = rest.IndexOf('?');
        var beforeQuery = question < 0 ? rest : rest[..question];
        return !beforeQuery.Contains("..", StringComparison.Ordinal)
            && beforeQuery.IndexOfAnyExcept(PlainUrlChars) < 0
            && !rest.Contains('#');
    }

    private static bool Token(ReadOnlySpan<char> s, ref int i)
    {
        var start = i;
        var length = s[i..].IndexOfAnyExcept(TokenChars);
        i = length < 0 ? s.Length : i + length;
        return i > start;
    }

    private static void SkipSpaces(ReadOnlySpan<char> s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }
    }
}
