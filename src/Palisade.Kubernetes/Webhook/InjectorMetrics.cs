using Prometheus;

namespace Palisade.Kubernetes.Webhook;

/// <summary>The injector's Prometheus metrics, in a registry of its own.</summary>
public sealed class InjectorMetrics
{
    public InjectorMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Admissions = factory.CreateCounter(
            "palisade_injector_admissions_total",
            "Admission reviews answered, by outcome (injected, skipped, denied, ignored, invalid) and reason (the skip reason's code).",
            new CounterConfiguration { LabelNames = ["outcome", "reason"] });
        Duration = factory.CreateHistogram(
            "palisade_injector_admission_duration_seconds",
            "Time from reading an admission review to writing the answer.",
            new HistogramConfiguration { Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
    }

    public CollectorRegistry Registry { get; }

    public Counter Admissions { get; }

    public Histogram Duration { get; }
}
