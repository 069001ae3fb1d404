package org.recsysrl.serve;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.recsysrl.api.ModelInfo;

/**
 * The server's counters in the Prometheus text exposition format: requests by endpoint and
 * status, a latency histogram of the recommendation endpoints and one per endpoint, rejections
 * under overload, the admission queue, connections, sessions, reloads, the JVM (heap, collections,
 * threads) and the identity of the model being served.
 */
final class ServerMetrics {
    /** Upper bounds of the latency buckets, in seconds. */
    static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

    /** One latency histogram. */
    static final class Histogram {
        final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();

        void record(long ns) {
            double s = ns / 1e9;
            int b = 0;
            while (b < BUCKETS.length && s > BUCKETS[b]) {
                b++;
            }
            counts.incrementAndGet(b);
            count.increment();
            nanos.add(ns);
        }

        void render(StringBuilder sb, String name, String labels) {
            String sep = labels.isEmpty() ? "" : ",";
            long cumulative = 0;
            for (int b = 0; b < BUCKETS.length; b++) {
                cumulative += counts.get(b);
                sb.append(name).append("_bucket{").append(labels).append(sep).append("le=\"")
                        .append(java.math.BigDecimal.valueOf(BUCKETS[b]).toPlainString()).append("\"} ")
                        .append(cumulative).append('\n');
            }
            cumulative += counts.get(BUCKETS.length);
            sb.append(name).append("_bucket{").append(labels).append(sep).append("le=\"+Inf\"} ").append(cumulative)
                    .append('\n');
            String l = labels.isEmpty() ? "" : "{" + labels + "}";
            sb.append(name).append("_sum").append(l).append(' ')
                    .append(String.format(Locale.ROOT, "%.9f", nanos.sum() / 1e9)).append('\n');
            sb.append(name).append("_count").append(l).append(' ').append(count.sum()).append('\n');
        }
    }

    private final Map<String, Map<Integer, LongAdder>> counters = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Histogram recommendations = new Histogram();
    private final Map<String, Histogram> byEndpoint = new ConcurrentHashMap<>();
    final LongAdder rejected = new LongAdder();
    final LongAdder reloads = new LongAdder();
    final LongAdder reloadFailures = new LongAdder();
    final LongAdder connectionsRefused = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    private final long startMillis = System.currentTimeMillis();

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

    /**
     * Records the time from a request's arrival (fully read) to its answer being handed to the
     * connection, per endpoint; the recommendation endpoints also feed the unlabelled histogram.
     */
    void latency(String endpoint, long nanos) {
        Histogram h = byEndpoint.get(endpoint);
        if (h == null) {
            h = byEndpoint.computeIfAbsent(endpoint, k -> new Histogram());
        }
        h.record(nanos);
        if (endpoint.equals("recommend") || endpoint.equals("session_recommend") || endpoint.equals("recommend_batch")) {
            recommendations.record(nanos);
        }
    }

    /** What the server knows besides its own counters. */
    record Gauges(ModelInfo model, int sessions, long sessionsEvicted, int inFlight, int connections,
            long queueWaitNanos, long queueStarted, double meanServiceNanos) {
    }

    /** The exposition text. */
    String render(Gauges g) {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("# HELP recsysrl_requests_total Requests by endpoint and HTTP status.\n");
        sb.append("# TYPE recsysrl_requests_total counter\n");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((k, v) -> {
            int sep = k.indexOf('\u0000');
            sb.append("recsysrl_requests_total{endpoint=\"").append(k, 0, sep).append("\",status=\"")
                    .append(k.substring(sep + 1)).append("\"} ").append(v).append('\n');
        });
        sb.append("# HELP recsysrl_request_duration_seconds Time to answer a recommendation request (queueing included).\n");
        sb.append("# TYPE recsysrl_request_duration_seconds histogram\n");
        recommendations.render(sb, "recsysrl_request_duration_seconds", "");
        sb.append("# HELP recsysrl_endpoint_duration_seconds Time to answer a request, by endpoint (queueing included).\n");
        sb.append("# TYPE recsysrl_endpoint_duration_seconds histogram\n");
        new TreeMap<>(byEndpoint).forEach((e, h) -> h.render(sb, "recsysrl_endpoint_duration_seconds",
                "endpoint=\"" + e + "\""));
        gauge(sb, "recsysrl_rejected_total", "counter", "Requests answered 503 because they would have waited too long.",
                rejected.sum());
        gauge(sb, "recsysrl_in_flight", "gauge", "Requests running or queued for a worker.", g.inFlight());
        sb.append("# HELP recsysrl_queue_wait_seconds Time admitted requests waited for a worker.\n");
        sb.append("# TYPE recsysrl_queue_wait_seconds summary\n");
        sb.append(String.format(Locale.ROOT, "recsysrl_queue_wait_seconds_sum %.9f%n", g.queueWaitNanos() / 1e9));
        sb.append("recsysrl_queue_wait_seconds_count ").append(g.queueStarted()).append('\n');
        sb.append("# HELP recsysrl_service_seconds_mean The admission's running mean of a request's service time.\n");
        sb.append("# TYPE recsysrl_service_seconds_mean gauge\n");
        sb.append(String.format(Locale.ROOT, "recsysrl_service_seconds_mean %.9f%n", g.meanServiceNanos() / 1e9));
        gauge(sb, "recsysrl_connections", "gauge", "Open client connections.", g.connections());
        gauge(sb, "recsysrl_connections_refused_total", "counter", "Connections closed at once because too many were open.",
                connectionsRefused.sum());
        gauge(sb, "recsysrl_read_timeouts_total", "counter", "Connections closed because headers or a body came too slowly.",
                timeouts.sum());
        gauge(sb, "recsysrl_sessions", "gauge", "Live server-side sessions.", g.sessions());
        gauge(sb, "recsysrl_sessions_evicted_total", "counter", "Sessions dropped for room or age.", g.sessionsEvicted());
        gauge(sb, "recsysrl_model_reloads_total", "counter", "Checkpoints loaded after the file changed.", reloads.sum());
        gauge(sb, "recsysrl_model_reload_failures_total", "counter", "Replaced checkpoints that could not be loaded.",
                reloadFailures.sum());
        jvm(sb);
        sb.append("# HELP recsysrl_model_info The model being served.\n");
        sb.append("# TYPE recsysrl_model_info gauge\n");
        ModelInfo model = g.model();
        sb.append("recsysrl_model_info{kind=\"").append(model.kind()).append("\",algorithm=\"").append(model.algorithm())
                .append("\",steps=\"").append(model.steps()).append("\",sha256=\"").append(model.sha256())
                .append("\",items=\"").append(model.items()).append("\"} 1\n");
        return sb.toString();
    }

    private void jvm(StringBuilder sb) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        gauge(sb, "jvm_memory_heap_used_bytes", "gauge", "Heap in use.", heap.getUsed());
        gauge(sb, "jvm_memory_heap_committed_bytes", "gauge", "Heap committed.", heap.getCommitted());
        sb.append("# HELP jvm_gc_collections_total Garbage collections by collector.\n");
        sb.append("# TYPE jvm_gc_collections_total counter\n");
        StringBuilder seconds = new StringBuilder();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sb.append("jvm_gc_collections_total{gc=\"").append(gc.getName()).append("\"} ").append(gc.getCollectionCount())
                    .append('\n');
            seconds.append("jvm_gc_collection_seconds_total{gc=\"").append(gc.getName()).append("\"} ")
                    .append(String.format(Locale.ROOT, "%.3f", gc.getCollectionTime() / 1e3)).append('\n');
        }
        sb.append("# HELP jvm_gc_collection_seconds_total Time spent in garbage collection by collector.\n");
        sb.append("# TYPE jvm_gc_collection_seconds_total counter\n").append(seconds);
        gauge(sb, "jvm_threads_live", "gauge", "Live threads.", ManagementFactory.getThreadMXBean().getThreadCount());
        gauge(sb, "process_uptime_seconds", "gauge", "Seconds since the server started.",
                (System.currentTimeMillis() - startMillis) / 1000);
    }

    /** Appends one counter or gauge with its HELP and TYPE lines. */
    static void counter(StringBuilder sb, String name, String type, String help, long value) {
        gauge(sb, name, type, help, value);
    }

    private static void gauge(StringBuilder sb, String name, String type, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        sb.append(name).append(' ').append(value).append('\n');
    }
}
