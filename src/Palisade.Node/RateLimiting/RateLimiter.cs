using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Node.Metrics;

namespace Palisade.Node.RateLimiting;

/// <summary>
/// In-memory rate limits and brute-force protection for one rule set. Thread-safe; one instance serves every
/// request. How to wire it:
/// <list type="number">
/// <item>Build it once: <c>new RateLimiter(rules, TimeProvider.System, metrics, onGraylist, logger)</c>.</item>
/// <item>Before forwarding (after the body is buffered, for <c>json:</c> keys), call <see cref="Check"/>. On
/// <see cref="RateLimitDecisionKind.Reject"/> answer 429 with <c>Retry-After: </c><see cref="RateLimitDecision.RetryAfterSeconds"/>;
/// on <see cref="RateLimitDecisionKind.Graylist"/> refuse the request the same way (the IP was already handed to
/// the graylist callback).</item>
/// <item>When <see cref="HasFailureRules"/>, call <see cref="ObserveResponse"/> with the same request and the
/// status the application answered, so <see cref="RateLimitKind.Failures"/> rules count 401s and 403s.</item>
/// <item>On a configuration reload, replace the instance with <see cref="WithRules"/>: rules whose name and
/// parameters are unchanged keep their counters; others start from zero.</item>
/// </list>
/// <para>
/// Rules are checked in configuration order and the first one over its limit decides. A
/// <see cref="RateLimitKind.Requests"/> rule counts the requests it lets through (a refused request is not
/// counted, so a client that backs off is let in again as the window slides); a request refused by a later rule
/// has still been counted by the earlier ones. A <see cref="RateLimitKind.Failures"/> rule counts only in
/// <see cref="ObserveResponse"/>, and <see cref="Check"/> refuses the key once the failures in the window have
/// reached the limit: the attempt after the N-th failure never reaches the application.
/// </para>
/// <para>
/// A rule whose key is missing from a request (no such header, cookie, JSON field or claim; an <c>ip</c> rule
/// when the client address is unknown) does not apply to that request. A graylist rule over its limit on a
/// request without a client address rejects it instead.
/// </para>
/// </summary>
public sealed partial class RateLimiter
{
    private readonly RuleState[] _states;
    private readonly RateLimitRule[] _rules;
    private readonly TimeProvider _time;
    private readonly NodeMetrics? _metrics;
    private readonly Action<IPAddress, TimeSpan, RateLimitRule>? _onGraylist;
    private readonly ILogger _logger;

    /// <param name="rules">The rules, in the order they are checked; names must be unique.</param>
    /// <param name="time">The clock; only its monotonic timestamps are used. Null: <see cref="TimeProvider.System"/>.</param>
    /// <param name="metrics">Where hits, evictions and key counts go; null: nowhere.</param>
    /// <param name="onGraylist">Called, on the request's thread, with the source IP, the duration and the rule when
    /// a graylist rule refuses a request from an IP it has not handed over within the last <c>graylist-for</c>
    /// (once per period, not once per request; again if the entry may have run out). It must be quick.</param>
    /// <param name="logger">Logs evictions of live keys and callback failures.</param>
    /// <exception cref="ArgumentException">Two rules share a name, or a rule's limit, window or key bound is not positive.</exception>
    public RateLimiter(
        IReadOnlyList<RateLimitRule> rules,
        TimeProvider? time = null,
        NodeMetrics? metrics = null,
        Action<IPAddress, TimeSpan, RateLimitRule>? onGraylist = null,
        ILogger? logger = null)
        : this(rules, time ?? TimeProvider.System, metrics, onGraylist, logger ?? NullLogger.Instance, previous: null)
    {
    }

    private RateLimiter(
        IReadOnlyList<RateLimitRule> rules,
        TimeProvider time,
        NodeMetrics? metrics,
        Action<IPAddress, TimeSpan, RateLimitRule>? onGraylist,
        ILogger logger,
        RuleState[]? previous)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Validate(rules);
        _time = time;
        _metrics = metrics;
        _onGraylist = onGraylist;
        _logger = logger;
        _states = new RuleState[rules.Count];
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var kept = Array.Find(previous ?? [], s => s.Rule.Equals(rule));
            var store = kept?.Store ?? new RateLimitCounterStore(rule, time, logger);
            var ruleMetrics = metrics is null ? null : new RateLimitRuleMetrics(metrics, rule.Name);
            if (kept is null)
            {
                store.AttachMetrics(ruleMetrics);
            }

            // What was handed to the callback is kept across a reload with the counters, so an unchanged rule does
            // not graylist the same addresses again.
            var graylisted = kept?.Graylisted
                ?? (rule.Action == RateLimitAction.Graylist ? new GraylistNotifications(time, rule.GraylistFor) : null);
            _states[i] = new RuleState(rule, store, ruleMetrics, graylisted);
        }

        HasFailureRules = Array.Exists(_states, s => s.Rule.Kind == RateLimitKind.Failures);
        _rules = Array.ConvertAll(_states, s => s.Rule);
    }

    /// <summary>The rules, in the order they are checked.</summary>
    public IReadOnlyList<RateLimitRule> Rules => _rules;

    /// <summary>Whether any rule counts responses: if not, <see cref="ObserveResponse"/> need not be called.</summary>
    public bool HasFailureRules { get; }

    /// <summary>
    /// A limiter for a new rule set that keeps the counters of every rule equal (<see cref="RateLimitRule.Equals(RateLimitRule?)"/>:
    /// same name and parameters) to one of this limiter's; a rule that is new or changed in any way (its limit
    /// included) starts from zero, and removed rules' counters are dropped. This instance may go on serving
    /// requests in flight; its kept counters are shared with the new one.
    /// </summary>
    public RateLimiter WithRules(IReadOnlyList<RateLimitRule> rules)
    {
        var next = new RateLimiter(rules, _time, _metrics, _onGraylist, _logger, _states);
        foreach (var state in _states)
        {
            if (Array.IndexOf(next._rules, state.Rule) < 0)
            {
                // Dropped or replaced: its keys no longer count in the gauge (a replacement reports its own).
                state.Store.AttachMetrics(null);
            }
        }

        return next;
    }

    /// <summary>
    /// Whether the request may go on: <see cref="RateLimitDecision.Allow"/>, or the first rule over its limit with
    /// its action. Counts the request against every matching <see cref="RateLimitKind.Requests"/> rule it passes.
    /// </summary>
    public RateLimitDecision Check(in RateLimitRequest request)
    {
        Span<char> buffer = stackalloc char[RateLimitKeyReader.BufferLength];
        foreach (var state in _states)
        {
            var rule = state.Rule;
            if (!rule.Matches(request))
            {
                continue;
            }

            var length = RateLimitKeyReader.Read(rule.Key, request, buffer);
            if (length < 0)
            {
                continue;
            }

            ReadOnlySpan<char> key = buffer[..length];

            var refused = rule.Kind == RateLimitKind.Requests
                ? !state.Store.TryAcquire(key, rule.Limit, out var retryAfter)
                : state.Store.IsOver(key, rule.Limit, out retryAfter);
            if (refused)
            {
                return Refuse(state, request.ClientIp, retryAfter);
            }
        }

        return RateLimitDecision.Allow;
    }

    /// <summary>
    /// Counts the application's answer to a request against the <see cref="RateLimitKind.Failures"/> rules that
    /// match it and list its status. Pass the same request as to <see cref="Check"/>, with its body still
    /// readable: call it before the buffered body is disposed or returned to its pool.
    /// </summary>
    public void ObserveResponse(in RateLimitRequest request, int status)
    {
        if (!HasFailureRules)
        {
            return;
        }

        Span<char> buffer = stackalloc char[RateLimitKeyReader.BufferLength];
        foreach (var state in _states)
        {
            var rule = state.Rule;
            if (rule.Kind == RateLimitKind.Failures
                && rule.CountsStatus(status)
                && rule.Matches(request))
            {
                var length = RateLimitKeyReader.Read(rule.Key, request, buffer);
                if (length >= 0)
                {
                    state.Store.Add(buffer[..length]);
                }
            }
        }
    }

    /// <summary>Keys the named rule tracks now (0 for an unknown rule).</summary>
    public int KeyCount(string ruleName) => Find(ruleName)?.Store.Count ?? 0;

    /// <summary>Keys the named rule dropped while they still counted, because its table was full.</summary>
    public long LruEvictions(string ruleName) => Find(ruleName)?.Store.LruEvictions ?? 0;

    /// <summary>Keys the named rule dropped after their windows had passed.</summary>
    public long ExpiredEvictions(string ruleName) => Find(ruleName)?.Store.ExpiredEvictions ?? 0;

    /// <summary>
    /// The rules that apply to the request with its key for each (a rule whose key is missing does not apply): what
    /// a limiter shared by several replicas counts elsewhere.
    /// </summary>
    public List<(RateLimitRule Rule, string Key)> KeysOf(in RateLimitRequest request)
    {
        var keys = new List<(RateLimitRule, string)>(_states.Length);
        Span<char> buffer = stackalloc char[RateLimitKeyReader.BufferLength];
        foreach (var state in _states)
        {
            if (state.Rule.Matches(request))
            {
                var length = RateLimitKeyReader.Read(state.Rule.Key, request, buffer);
                if (length >= 0)
                {
                    keys.Add((state.Rule, new string(buffer[..length])));
                }
            }
        }

        return keys;
    }

    /// <summary>A refusal decided elsewhere (the shared count of all replicas), with this limiter's metrics and graylist callback.</summary>
    public RateLimitDecision RefuseShared(RateLimitRule rule, IPAddress? ip, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var state = Array.Find(_states, s => ReferenceEquals(s.Rule, rule)) ?? throw new ArgumentException($"rule {rule.Name} is not this limiter's", nameof(rule));
        return Refuse(state, ip, retryAfter);
    }

    private RateLimitDecision Refuse(RuleState state, IPAddress? ip, TimeSpan retryAfter)
    {
        var rule = state.Rule;
        if (rule.Action == RateLimitAction.Graylist && ip is not null)
        {
            state.Metrics?.Graylisted.Inc();
            try
            {
                if (_onGraylist is not null && state.Graylisted!.ShouldNotify(ip))
                {
                    _onGraylist(ip, rule.GraylistFor, rule);
                }
            }
#pragma warning disable CA1031 // A failing callback must not fail the request; the refusal stands.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.GraylistCallbackFailed(_logger, rule.Name, e);
            }

            return RateLimitDecision.Graylist(rule, retryAfter, ip, rule.GraylistFor);
        }

        state.Metrics?.Rejected.Inc();
        return RateLimitDecision.Reject(rule, retryAfter);
    }

    private RuleState? Find(string ruleName) => Array.Find(_states, s => s.Rule.Name == ruleName);

    private static void Validate(IReadOnlyList<RateLimitRule> rules)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            ArgumentNullException.ThrowIfNull(rule);
            if (!names.Add(rule.Name))
            {
                throw new ArgumentException($"two rate-limit rules are named '{rule.Name}'", nameof(rules));
            }

            if (rule.Limit < 1 || rule.Window <= TimeSpan.Zero || rule.MaxKeys < 1)
            {
                throw new ArgumentException($"rate-limit rule '{rule.Name}' needs a limit, window and max-keys above zero", nameof(rules));
            }
        }
    }

    private sealed record RuleState(RateLimitRule Rule, RateLimitCounterStore Store, RateLimitRuleMetrics? Metrics, GraylistNotifications? Graylisted);
}
