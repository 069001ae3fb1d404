package org.recsysrl.serve;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection read deadlines, so that a slow or stalled client holds nothing but its own
 * connection, and that only for a while:
 * <ul>
 *   <li><b>idle</b>: a kept-alive connection with no request under way is closed after
 *       {@code idleMillis};</li>
 *   <li><b>headers</b>: from a request's first byte, its request line and headers must arrive
 *       within {@code headerMillis};</li>
 *   <li><b>body</b>: from the end of the headers, the body must arrive within {@code bodyMillis}.</li>
 * </ul>
 * A request too slow is answered 408 with a JSON error and the connection closed. While a request
 * is being answered only a safety net runs (the idle time again). A request only stamps the time
 * its phase began; one periodic check per connection (every quarter of the shortest deadline)
 * enforces them, so a deadline holds to within a quarter of itself. All state lives on the
 * connection's event loop.
 *
 * <p>Two handlers share the state: {@link #bytes()} sits before the HTTP decoder and sees the first
 * byte of a request; {@link #messages()} sits after it and sees the end of the headers and of the body.
 */
final class Deadlines {
    private static final AttributeKey<Deadlines> KEY = AttributeKey.valueOf("recsysrl.deadlines");

    private enum Phase {
        IDLE, HEADERS, BODY, ANSWERING
    }

    private final long idleMillis;
    private final long headerMillis;
    private final long bodyMillis;
    private final ServerMetrics metrics;
    private Phase phase = Phase.IDLE;
    private long since = System.nanoTime();
    private ScheduledFuture<?> checker;

    Deadlines(long idleMillis, long headerMillis, long bodyMillis, ServerMetrics metrics) {
        this.idleMillis = idleMillis;
        this.headerMillis = headerMillis;
        this.bodyMillis = bodyMillis;
        this.metrics = metrics;
    }

    /** The connection's answer has been written: wait for the next request (kept-alive). */
    static void answered(Channel ch) {
        Deadlines d = ch.attr(KEY).get();
        if (d != null && d.phase == Phase.ANSWERING) {
            d.enter(Phase.IDLE);
        }
    }

    ChannelDuplexHandler bytes() {
        return new ChannelDuplexHandler() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                ctx.channel().attr(KEY).set(Deadlines.this);
            }

            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                // one periodic check per connection (a request only stamps the time its phase began,
                // which is cheaper than a timer per phase); a deadline is enforced within a quarter of it
                long every = Math.max(10, Math.min(idleMillis, Math.min(headerMillis, bodyMillis)) / 4);
                Channel ch = ctx.channel();
                enter(Phase.IDLE);
                checker = ch.eventLoop().scheduleAtFixedRate(() -> check(ch), every, every, TimeUnit.MILLISECONDS);
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (phase == Phase.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
                    enter(Phase.HEADERS);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                if (checker != null) {
                    checker.cancel(false);
                }
                super.channelInactive(ctx);
            }
        };
    }

    ChannelInboundHandlerAdapter messages() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof HttpRequest) {
                    enter(Phase.BODY);
                }
                if (msg instanceof LastHttpContent) {
                    enter(Phase.ANSWERING);
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    private void enter(Phase next) {
        phase = next;
        since = System.nanoTime();
    }

    private void check(Channel ch) {
        long limit = switch (phase) {
            case IDLE, ANSWERING -> idleMillis; // answering: a safety net, no answer takes that long
            case HEADERS -> headerMillis;
            case BODY -> bodyMillis;
        };
        if ((System.nanoTime() - since) / 1_000_000 >= limit) {
            expire(ch, phase);
        }
    }

    private void expire(Channel ch, Phase expected) {
        if (phase != expected || !ch.isActive()) {
            return;
        }
        if (expected == Phase.IDLE || expected == Phase.ANSWERING) {
            if (checker != null) {
                checker.cancel(false);
            }
            ch.close();
            return;
        }
        metrics.timeouts.increment();
        metrics.request("other", 408);
        enter(Phase.ANSWERING);
        if (checker != null) {
            checker.cancel(false);
        }
        HttpTransport.writeRawAndClose(ch, 408, expected == Phase.HEADERS
                ? "the request's headers did not arrive within " + headerMillis + " ms"
                : "the request's body did not arrive within " + bodyMillis + " ms");
    }
}
