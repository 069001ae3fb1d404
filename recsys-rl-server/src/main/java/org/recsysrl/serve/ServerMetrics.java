package org.recsysrl.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.recsysrl.api.ModelInfo;

/**
 * The server's counters in the Prometheus text exposition format: requests by endpoint and
 * status, a latency histogram of the recommendation endpoints, rejections under overload,
 * sessions, reloads, and the identity of the model being served.
 */
final class ServerMetrics {
    /** Upper bounds of the latency buckets, in seconds. */
    static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final AtomicLongArray bucketCounts = new AtomicLongArray(BUCKETS.length + 1);
    private final LongAdder latencyCount = new LongAdder();
    private final AtomicLong latencyNanos = new AtomicLong();
    final LongAdder rejected = new LongAdder();
    final LongAdder reloads = new LongAdder();
    final LongAdder reloadFailures = new LongAdder();

    /** Counts one request (the counter of a known endpoint and status is found without allocating). */
    void request(String endpoint, int status) {
        Map<Integer, LongAdder> byStatus = counters.get(endpoint);
        if (byStatus == null) {
            byStatus = counters.computeIfAbsent(endpoint, k -> new ConcurrentHashMap<>());
        }
        LongAdder c = byStatus.get(status);
        if (c == null) {
            c = byStatus.computeIfAbsent(status, k -> {
                LongAdder a = new LongAdder();
                requests.put(endpoint + "\u0000" + k, a);
                return a;
            });
        }
        c.increment();
    }

    private final Map<String, Map<Integer, LongAdder>> counters = new ConcurrentHashMap<>();

    /** Records the latency of one recommendation. */
    void latency(long nanos) {
        double s = nanos / 1e9;
        int b = 0;
        while (b < BUCKETS.length && s > BUCKETS[b]) {
            b++;
        }
        bucketCounts.incrementAndGet(b);
        latencyCount.increment();
        latencyNanos.addAndGet(nanos);
    }

    /** The exposition text. */
    String render(ModelInfo model, int sessions, long sessionsEvicted, int inFlight) {
        StringBuilder sb = new StringBuilder(2048);
        sb.append("# HELP recsysrl_requests_total Requests by endpoint and HTTP status.\n");
        sb.append("# TYPE recsysrl_requests_total counter\n");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((k, v) -> {
            int sep = k.indexOf('\u0000');
            sb.append("recsysrl_requests_total{endpoint=\"").append(k, 0, sep).append("\",status=\"")
                    .append(k.substring(sep + 1)).append("\"} ").append(v).append('\n');
        });
        sb.append("# HELP recsysrl_request_duration_seconds Time to answer a recommendation request.\n");
        sb.append("# TYPE recsysrl_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (int b = 0; b < BUCKETS.length; b++) {
            cumulative += bucketCounts.get(b);
            sb.append(String.format(Locale.ROOT, "recsysrl_request_duration_seconds_bucket{le=\"%s\"} %d%n",
                    java.math.BigDecimal.valueOf(BUCKETS[b]).toPlainString(), cumulative));
        }
        cumulative += bucketCounts.get(BUCKETS.length);
        sb.append("recsysrl_request_duration_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        sb.append(String.format(Locale.ROOT, "recsysrl_request_duration_seconds_sum %.9f%n", latencyNanos.get() / 1e9));
        sb.append("recsysrl_request_duration_seconds_count ").append(latencyCount.sum()).append('\n');
        sb.append("# HELP recsysrl_rejected_total Requests answered 503 because the server was at capacity.\n");
        sb.append("# TYPE recsysrl_rejected_total counter\n");
        sb.append("recsysrl_rejected_total ").append(rejected.sum()).append('\n');
        sb.append("# HELP recsysrl_in_flight Requests being handled or queued.\n");
        sb.append("# TYPE recsysrl_in_flight gauge\n");
        sb.append("recsysrl_in_flight ").append(inFlight).append('\n');
        sb.append("# HELP recsysrl_sessions Live server-side sessions.\n");
        sb.append("# TYPE recsysrl_sessions gauge\n");
        sb.append("recsysrl_sessions ").append(sessions).append('\n');
        sb.append("# HELP recsysrl_sessions_evicted_total Sessions dropped for room or age.\n");
        sb.append("# TYPE recsysrl_sessions_evicted_total counter\n");
        sb.append("recsysrl_sessions_evicted_total ").append(sessionsEvicted).append('\n');
        sb.append("# HELP recsysrl_model_reloads_total Checkpoints loaded after the file changed.\n");
        sb.append("# TYPE recsysrl_model_reloads_total counter\n");
        sb.append("recsysrl_model_reloads_total ").append(reloads.sum()).append('\n');
        sb.append("# HELP recsysrl_model_reload_failures_total Replaced checkpoints that could not be loaded.\n");
        sb.append("# TYPE recsysrl_model_reload_failures_total counter\n");
        sb.append("recsysrl_model_reload_failures_total ").append(reloadFailures.sum()).append('\n');
        sb.append("# HELP recsysrl_model_info The model being served.\n");
        sb.append("# TYPE recsysrl_model_info gauge\n");
        sb.append("recsysrl_model_info{kind=\"").append(model.kind()).append("\",algorithm=\"").append(model.algorithm())
                .append("\",steps=\"").append(model.steps()).append("\",sha256=\"").append(model.sha256())
                .append("\",items=\"").append(model.items()).append("\"} 1\n");
        return sb.toString();
    }
}
