using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Configuration;

/// <summary>
/// A structured part of <c>palisade.yaml</c> (routes, exclusions, rules, lists): a key whose value is a list or
/// mapping, read by its own reader onto the options. Sections come from the file only, never from the
/// environment or flags; they are applied after the plain options, in the order of <see cref="NodeSections.All"/>.
/// </summary>
/// <param name="Key">The top-level key (<c>routes</c>).</param>
/// <param name="Description">One line for the documentation.</param>
/// <param name="Apply">Reads the section's node (with the file's name for error lines) onto the options.</param>
public sealed record NodeSection(string Key, string Description, Func<NodeOptions, YamlNode, string, NodeOptions> Apply);
