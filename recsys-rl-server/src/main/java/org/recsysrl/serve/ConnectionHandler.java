package org.recsysrl.serve;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * Answers the requests of one connection, one at a time and in order (HTTP/1.1 pipelining keeps
 * its order; requests read ahead wait here, and beyond {@value #MAX_PIPELINED} of them the
 * connection stops reading, which is its back-pressure). Health, metrics and the OpenAPI document are answered on the I/O thread at once;
 * everything else goes through the {@link Admission} to a worker, or is answered 503 with
 * {@code Retry-After} when it would wait too long.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    /** Requests read ahead on one connection (HTTP pipelining) before the connection stops reading. */
    static final int MAX_PIPELINED = 16;
    private final RecommendServer server;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>(2);
    private boolean busy;
    /** The request being answered came as HTTP/1.0 (a kept-alive answer must then say so). */
    private boolean http10;

    ConnectionHandler(RecommendServer server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            waiting.add(req);
            if (waiting.size() >= MAX_PIPELINED) {
                ctx.channel().config().setAutoRead(false); // a client pipelining too far waits
            }
            return;
        }
        serve(ctx, req);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (FullHttpRequest r : waiting) {
            r.release();
        }
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset connection, a TLS handshake failure: nothing to answer, nothing worth a log line
        if (!(cause instanceof java.io.IOException) && !(cause instanceof io.netty.handler.codec.DecoderException)) {
            server.log("connection from " + remote(ctx.channel().remoteAddress()) + " closed after " + cause);
        }
        ctx.close();
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest req) {
        long t0 = System.nanoTime();
        String method = req.method().name();
        String uri = req.uri();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        http10 = req.protocolVersion().equals(io.netty.handler.codec.http.HttpVersion.HTTP_1_0);
        DecoderResult decoded = req.decoderResult();
        if (decoded.isFailure()) {
            req.release();
            Throwable c = decoded.cause();
            int status = c instanceof TooLongHttpLineException ? 414 : c instanceof TooLongHttpHeaderException ? 431
                    : c instanceof TooLongFrameException ? 413 : 400;
            String message = switch (status) {
                case 414 -> "request line longer than " + HttpTransport.MAX_REQUEST_LINE + " bytes";
                case 431 -> "request headers larger than " + server.options().maxHeaderBytes() + " bytes";
                default -> "malformed HTTP request: " + Json.abbreviate(c == null ? "" : c.getMessage());
            };
            finish(ctx, "other", method, uri, Reply.error(status, message), false, t0);
            return;
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? null : uri.substring(q + 1);
        if (!path.startsWith("/")) {
            req.release();
            finish(ctx, "other", method, uri, Reply.error(400, "the request target must be a path starting with /, got "
                    + Json.abbreviate(path)), false, t0);
            return;
        }
        String endpoint = Endpoints.endpoint(method, path);
        if (!server.authorized(path, req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            req.release();
            finish(ctx, endpoint, method, path, Reply.error(401, "unauthorized").with("WWW-Authenticate", "Bearer"),
                    keepAlive, t0);
            return;
        }
        byte[] body = req.content().isReadable() ? ByteBufUtil.getBytes(req.content()) : EMPTY;
        req.release();
        Endpoints.Call call = new Endpoints.Call(method, path, query, body);
        Admission admission = server.admission();
        if (admission == null || Endpoints.inline(path)) {
            serveHere(ctx, call, endpoint, keepAlive, t0);
            return;
        }
        busy = true;
        Runnable task = Endpoints.joinable(method, path) ? new Pending(ctx, call, endpoint, keepAlive, t0)
                : () -> answer(ctx, call, endpoint, keepAlive, t0, server.endpoints().handle(call));
        Admission.Verdict v = admission.submit(task);
        if (v != Admission.Verdict.ADMITTED) {
            server.metrics().rejected.increment();
            String why = v == Admission.Verdict.STOPPING ? "the server is shutting down"
                    : "the server is at capacity; retry after 1 s";
            finish(ctx, endpoint, method, path, Reply.error(503, why).with("Retry-After", "1"), keepAlive, t0);
        }
    }

    private static final byte[] EMPTY = new byte[0];

    /** On the I/O thread: answers at once, or, if the answer logged an impression, once its line is written. */
    private void serveHere(ChannelHandlerContext ctx, Endpoints.Call call, String endpoint, boolean keepAlive, long t0) {
        Reply r = server.endpoints().handle(call);
        if (r.impression() > 0) {
            busy = true; // pipelined requests wait until the held answer has left
            answer(ctx, call, endpoint, keepAlive, t0, r);
        } else {
            finish(ctx, endpoint, call.method(), call.path(), r, keepAlive, t0);
        }
    }

    /**
     * On a worker: hands the reply to the connection's event loop, which writes it; a reply that
     * logged an impression goes there only once its line is written ({@link ImpressionLog#hold}).
     */
    private void answer(ChannelHandlerContext ctx, Endpoints.Call call, String endpoint, boolean keepAlive, long t0,
            Reply r) {
        Runnable send = () -> finish(ctx, endpoint, call.method(), call.path(), r, keepAlive, t0);
        ImpressionLog impressions = server.impressions();
        try {
            if (impressions != null && r.impression() > 0) {
                impressions.hold(r.impression(), ctx.executor(), send);
            } else {
                ctx.executor().execute(send);
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the event loops are shutting down: the connection is closing anyway
        }
    }

    /**
     * A recommendation waiting for a worker; one that finds others queued behind it is answered
     * together with them ({@link Endpoints#handleAll}: one pass over the items for all of them).
     */
    private final class Pending implements Admission.Joinable {
        final ChannelHandlerContext ctx;
        final Endpoints.Call call;
        final String endpoint;
        final boolean keepAlive;
        final long t0;

        Pending(ChannelHandlerContext ctx, Endpoints.Call call, String endpoint, boolean keepAlive, long t0) {
            this.ctx = ctx;
            this.call = call;
            this.endpoint = endpoint;
            this.keepAlive = keepAlive;
            this.t0 = t0;
        }

        @Override
        public void run() {
            answer(ctx, call, endpoint, keepAlive, t0, server.endpoints().handle(call));
        }

        @Override
        public void runTogether(java.util.List<Admission.Joinable> batch) {
            if (batch.size() == 1) {
                run();
                return;
            }
            java.util.List<Endpoints.Call> calls = new java.util.ArrayList<>(batch.size());
            for (Admission.Joinable j : batch) {
                calls.add(((Pending) j).call);
            }
            server.endpoints().handleAll(calls, (i, reply) -> {
                Pending p = (Pending) batch.get(i);
                p.owner().answer(p.ctx, p.call, p.endpoint, p.keepAlive, p.t0, reply);
            });
        }

        ConnectionHandler owner() {
            return ConnectionHandler.this;
        }
    }

    /** On the I/O thread: writes the answer, counts it, then serves the next waiting request. */
    private void finish(ChannelHandlerContext ctx, String endpoint, String method, String path, Reply r,
            boolean keepAlive, long t0) {
        long took = System.nanoTime() - t0;
        ServerMetrics metrics = server.metrics();
        metrics.request(endpoint, r.status());
        metrics.latency(endpoint, took);
        server.accessLog(ctx.channel().remoteAddress(), method, path, r.status(), took);
        var response = HttpTransport.response(r.status(), r.contentType(), r.body(), keepAlive, r.headerName(),
                r.headerValue());
        if (keepAlive && http10) {
            response.headers().set(HttpHeaderNames.CONNECTION, io.netty.handler.codec.http.HttpHeaderValues.KEEP_ALIVE);
        }
        if (!keepAlive) {
            ctx.writeAndFlush(response).addListener(HttpTransport.LINGER);
            return;
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        Deadlines.answered(ctx.channel());
        busy = false;
        FullHttpRequest next = waiting.poll();
        if (next != null) {
            serve(ctx, next);
        } else if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** The client's address as text for the access log. */
    static String remote(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : String.valueOf(a);
    }
}
