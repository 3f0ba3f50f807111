namespace Palisade.Detection.Rules;

/// <summary>What a request rule does when its conditions hold.</summary>
public enum RequestRuleAction
{
    /// <summary>A virtual patch: the request is an attack (<c>virtual_patch</c>), whatever the detectors say.</summary>
    Block,

    /// <summary>An allow rule: the detectors' findings do not count (virtual patches and IP deny lists still do).</summary>
    Allow,
}
