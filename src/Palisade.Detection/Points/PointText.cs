using System.Buffers;
using System.Globalization;

namespace Palisade.Detection.Points;

/// <summary>The spelling rules of point paths.</summary>
internal static class PointText
{
    /// <summary>Characters that cannot appear in a bare key because they structure the path.</summary>
    public static readonly SearchValues<char> Reserved = SearchValues.Create(".|#[]\"\\ \t\r\n");

    /// <summary>Keys longer than this are cut in the text form (they are still inspected in full).</summary>
    public const int MaxKeyLength = 64;

    public static readonly string[] SmallIndexes =
        Enumerable.Range(0, 64).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
}
