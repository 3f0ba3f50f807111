namespace Palisade.Node.Inspection;

/// <summary>A request body could not be buffered for inspection: the node's buffer budget is spent (it is shed with 503).</summary>
public sealed class BodyBufferBudgetExceededException : Exception
{
    public BodyBufferBudgetExceededException()
        : base("the inspection buffer budget is spent")
    {
    }

    public BodyBufferBudgetExceededException(string message)
        : base(message)
    {
    }

    public BodyBufferBudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
