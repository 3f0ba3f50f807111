namespace Palisade.Detection.Engine;

/// <summary>The grammar of a header whose well-formed values cannot carry an injection (see <see cref="InertHeaderValues"/>).</summary>
internal enum HeaderGrammar
{
    /// <summary>No known grammar: every value is inspected.</summary>
    None,

    /// <summary><c>Accept</c>, <c>Accept-Language</c>, <c>Accept-Charset</c>: tokens with parameters.</summary>
    ParameterList,

    /// <summary><c>Host</c>: a host name or address and a port.</summary>
    Host,

    /// <summary>Client hints (<c>Sec-CH-UA*</c>): quoted brands with parameters.</summary>
    BrandList,

    /// <summary><c>Referer</c>, <c>Origin</c>: a URL with a plain path.</summary>
    PlainUrl,

    /// <summary><c>User-Agent</c>: products and comments.</summary>
    ProductList,

    /// <summary><c>Content-Type</c>: a media type with parameters.</summary>
    MediaType,
}
