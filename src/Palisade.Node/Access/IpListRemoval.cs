namespace Palisade.Node.Access;

/// <summary>What <see cref="IpAccessStore.Remove"/> did.</summary>
public enum IpListRemoval
{
    /// <summary>The entry added through the API is gone.</summary>
    Removed,

    /// <summary>No entry for that network on that list.</summary>
    NotFound,

    /// <summary>Only the configuration has that entry: it is removed there (a reload would bring it back).</summary>
    FromConfiguration,
}
