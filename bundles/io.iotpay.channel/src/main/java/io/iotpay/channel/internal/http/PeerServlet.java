package io.iotpay.channel.internal.http;

import java.io.IOException;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** The peer protocol endpoint {@code /iotpay/peer/*} on the HTTP whiteboard (routes in {@link PeerRoutes}). */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("iotpay-peer")
@HttpWhiteboardServletPattern(PeerServlet.PATTERN)
public final class PeerServlet extends HttpServlet {

    /** Servlet pattern. */
    public static final String PATTERN = "/iotpay/peer/*";

    private static final long serialVersionUID = 1L;

    private final transient PeerRoutes routes;

    @Activate
    public PeerServlet(@Reference PeerGateway gateway) {
        this.routes = new PeerRoutes(gateway);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = "POST".equals(req.getMethod()) ? readLimited(req, 16 * 1024 * 1024 / 16) : new byte[0];
        write(resp, routes.handle(req.getMethod(), req.getPathInfo(), req.getQueryString(), body,
                req.getHeader("X-IOTPAY-Certificate")));
    }

    static byte[] readLimited(HttpServletRequest req, int limit) throws IOException {
        byte[] b = req.getInputStream().readNBytes(limit + 1);
        return b;
    }

    static void write(HttpServletResponse resp, HttpReply r) throws IOException {
        resp.setStatus(r.status());
        resp.setContentType(r.contentType());
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            resp.setHeader(h.getKey(), h.getValue());
        }
        resp.setContentLength(r.body().length);
        resp.getOutputStream().write(r.body());
    }
}
