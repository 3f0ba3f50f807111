namespace Palisade.Detection.Detectors.PathTraversal;

/// <summary>
/// What <see cref="PathNormalizer"/> made of a value: the folded text, and whether separators or dots came from
/// an encoding (percent, overlong UTF-8, <c>%u</c>, <c>0x2e</c>, look-alike characters), from a backslash, or
/// whether the value held a NUL.
/// </summary>
public readonly record struct PathText(int Length, bool Encoded, bool Backslash, bool Nul);
