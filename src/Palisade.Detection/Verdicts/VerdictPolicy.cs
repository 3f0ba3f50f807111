namespace Palisade.Detection.Verdicts;

/// <summary>Turns "is this an attack" into an action under the enforcement mode.</summary>
public static class VerdictPolicy
{
    /// <param name="isAttack">At least one finding.</param>
    /// <param name="mode">The mode in force for this request.</param>
    /// <param name="sourceGraylisted">The client address is on the graylist (matters in <c>safe_blocking</c>).</param>
    public static VerdictAction Decide(bool isAttack, EnforcementMode mode, bool sourceGraylisted)
    {
        if (!isAttack || mode == EnforcementMode.Off)
        {
            return VerdictAction.Pass;
        }

        return mode switch
        {
            EnforcementMode.Block => VerdictAction.Block,
            EnforcementMode.SafeBlocking when sourceGraylisted => VerdictAction.Block,
            _ => VerdictAction.Monitor,
        };
    }
}
