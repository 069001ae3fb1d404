package org.recsysrl.serve;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The network side of the server on Netty: the event loops (epoll where available, else NIO), the
 * listening socket, and each connection's pipeline — optional TLS, the bound on open connections,
 * the read deadlines, the HTTP/1.1 codec with bounded request line and headers, the body
 * aggregator with its size bound, and the {@link ConnectionHandler} that answers.
 */
final class HttpTransport {
    /** Longest request line accepted (beyond: 414). */
    static final int MAX_REQUEST_LINE = 8192;

    private final EventLoopGroup group;
    private final Channel listener;
    private final AtomicInteger open = new AtomicInteger();
    private final boolean epoll;

    /**
     * Binds {@code host:port} and starts accepting.
     *
     * @param handlers makes each new connection's answering handler
     * @throws java.net.BindException (sneakily, from Netty) if the address cannot be bound
     */
    HttpTransport(RecommendServer.Options o, SslContext tls, ServerMetrics metrics,
            Supplier<ChannelHandler> handlers) throws InterruptedException {
        this.epoll = Epoll.isAvailable() && !Boolean.getBoolean("recsysrl.serve.nio");
        int ioThreads = o.ioThreads();
        this.group = new MultiThreadIoEventLoopGroup(ioThreads,
                r -> {
                    Thread t = new Thread(r, "recsys-rl-io");
                    t.setDaemon(true);
                    return t;
                },
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ConnectionLimit limit = new ConnectionLimit(o.maxConnections(), metrics);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        Deadlines d = new Deadlines(o.idleTimeoutMillis(), o.headerTimeoutMillis(),
                                o.bodyTimeoutMillis(), metrics);
                        p.addLast("limit", limit);
                        p.addLast("first-byte", d.bytes());
                        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                                .setMaxHeaderSize(o.maxHeaderBytes())
                                .setMaxChunkSize(8192)));
                        p.addLast("headers-and-body", d.messages());
                        p.addLast("aggregate", new JsonAggregator(o.maxBodyBytes(), metrics));
                        p.addLast("answer", handlers.get());
                    }
                });
        try {
            this.listener = b.bind(new InetSocketAddress(o.host(), o.port())).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        } catch (Exception e) { // a BindException thrown sneakily by sync()
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw sneaky(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }

    /** The bound address. */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** True if the native epoll transport runs (else Java NIO). */
    boolean epoll() {
        return epoll;
    }

    /** Open client connections. */
    int connections() {
        return open.get();
    }

    /** Stops accepting (open connections stay until {@link #close}). */
    void stopAccepting() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    /** Closes every connection and stops the event loops. */
    void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** A JSON error response that closes the connection once written (see {@link #LINGER}). */
    static void writeRawAndClose(Channel ch, int status, String message) {
        ch.writeAndFlush(response(status, Json.error(message).getBytes(StandardCharsets.UTF_8), false, null, null))
                .addListener(LINGER);
    }

    /**
     * Closes a connection after an answer without losing that answer: closing a socket with unread
     * input makes the kernel send a reset, which can destroy the answer still on its way. So the
     * sending side is shut (the client sees the end of the stream), whatever the client still sends
     * is read and dropped, and the socket is closed when the client closes it or after a second.
     */
    static final ChannelFutureListener LINGER = f -> {
        Channel ch = f.channel();
        if (!f.isSuccess() || !ch.isActive() || !(ch instanceof io.netty.channel.socket.DuplexChannel d)) {
            ch.close();
            return;
        }
        ch.pipeline().addFirst("discard", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
        d.shutdownOutput().addListener(g -> {
            ch.config().setAutoRead(true);
            ch.eventLoop().schedule(() -> ch.close(), 1, TimeUnit.SECONDS);
        });
    };

    /** A full HTTP/1.1 response. */
    static FullHttpResponse response(int status, byte[] body, boolean keepAlive, String headerName, String headerValue) {
        return response(status, Reply.JSON, body, keepAlive, headerName, headerValue);
    }

    static FullHttpResponse response(int status, String contentType, byte[] body, boolean keepAlive, String headerName,
            String headerValue) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (headerName != null) {
            r.headers().set(headerName, headerValue);
        }
        return r;
    }

    /** Counts open connections; one beyond the bound is answered 503 and closed at once. */
    @ChannelHandler.Sharable
    private final class ConnectionLimit extends ChannelInboundHandlerAdapter {
        private final int max;
        private final ServerMetrics metrics;

        ConnectionLimit(int max, ServerMetrics metrics) {
            this.max = max;
            this.metrics = metrics;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (open.incrementAndGet() > max) {
                metrics.connectionsRefused.increment();
                metrics.request("other", 503);
                ctx.channel().config().setAutoRead(false);
                FullHttpResponse r = response(503, Json.error("too many open connections (at most " + max
                        + "); retry after 1 s").getBytes(StandardCharsets.UTF_8), false, "Retry-After", "1");
                ctx.channel().writeAndFlush(r).addListener(LINGER);
                return;
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            open.decrementAndGet();
            super.channelInactive(ctx);
        }
    }

    /** The body aggregator, answering a body over the bound with the JSON 413 instead of Netty's own. */
    private static final class JsonAggregator extends HttpObjectAggregator {
        private final int max;
        private final ServerMetrics metrics;

        JsonAggregator(int max, ServerMetrics metrics) {
            super(max);
            this.max = max;
            this.metrics = metrics;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            metrics.request("other", 413);
            byte[] body = Json.error("request body larger than " + max + " bytes").getBytes(StandardCharsets.UTF_8);
            if (oversized instanceof io.netty.handler.codec.http.FullHttpMessage
                    || !io.netty.handler.codec.http.HttpUtil.isKeepAlive(oversized)) {
                ctx.writeAndFlush(response(413, body, false, null, null)).addListener(LINGER);
            } else {
                // the aggregator skips the rest of the body; the connection stays usable
                ctx.writeAndFlush(response(413, body, true, null, null))
                        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        }
    }
}
