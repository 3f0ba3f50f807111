namespace Palisade.Detection.Parsing;

/// <summary>
/// Where a value comes from, as a detector sees it: the part of the request, whether the value is a name
/// (parameter, field or cookie name) rather than a value, for headers the header name in lower case, and whether
/// the value is the name of an uploaded file (a multipart part's <c>filename</c>, an <c>X-File-Name</c> header).
/// </summary>
public readonly record struct ValueOrigin(ValueSource Source, bool IsName = false, string? Header = null, bool IsFileName = false)
{
    /// <summary>True for the content of an uploaded file (a multipart part with a file name): a document, not a parameter.</summary>
    public bool IsFileContent { get; init; }

    /// <summary>True for an uploaded file's name, from a multipart part or from the headers upload scripts send it in.</summary>
    public bool NamesUpload => IsFileName || (Header is not null && Header is "x-filename" or "x_filename" or "x.filename" or "x-file-name" or "x_file_name");

    /// <summary>
    /// The characters of the value being judged, when the engine computed them for it (it sets them on the origin it
    /// hands each detector); unknown otherwise, as when a detector is called directly.
    /// </summary>
    internal CharacterMask Characters { get; init; }
}
