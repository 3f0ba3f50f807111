using Microsoft.Extensions.Logging;

namespace Palisade.Kubernetes.Webhook;

public sealed partial class InjectorServer
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "admission {Pod}: {Outcome} {Reason}")]
        public static partial void Answered(ILogger logger, string pod, string outcome, string reason);

        [LoggerMessage(2, LogLevel.Warning, "admission refused with 400: {Problem}")]
        public static partial void Invalid(ILogger logger, string problem);

        [LoggerMessage(3, LogLevel.Information, "serving certificate reloaded: {Subject}, valid until {NotAfter:o}")]
        public static partial void CertificateReloaded(ILogger logger, string subject, DateTime notAfter);

        [LoggerMessage(4, LogLevel.Warning, "the changed certificate files do not load yet, keeping the previous certificate: {Error}")]
        public static partial void CertificateNotLoaded(ILogger logger, string error);

        [LoggerMessage(5, LogLevel.Information, "injector listening on {Address}")]
        public static partial void Listening(ILogger logger, Uri address);
    }
}
