namespace Palisade.Detection.Detectors.Sqli;

/// <summary>What a SELECT read by the grammar contained.</summary>
internal struct SqlSelectShape
{
    /// <summary>The select list held something other than bare names (<c>1</c>, <c>'a'</c>, <c>*</c>, <c>version()</c>).</summary>
    public bool HasNonWordItem;

    /// <summary>A select-list item was a number, a function call, <c>*</c> or a variable: more than a quoted word.</summary>
    public bool HasComputedItem;

    public bool HasFrom;

    /// <summary>The value ended right after <c>SELECT</c>, before any select list.</summary>
    public bool EndedEarly;
}
