package io.iotpay.channel.internal.http;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Resources sold per request, {@code GET /iotpay/paid/<offerId>}: {@code 402 Payment Required} with the offer, the
 * content when the retry carries a valid {@code X-IOTPAY-Voucher} header.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("iotpay-paid")
@HttpWhiteboardServletPattern(PaidServlet.PATTERN)
public final class PaidServlet extends HttpServlet {

    /** Servlet pattern. */
    public static final String PATTERN = "/iotpay/paid/*";

    private static final long serialVersionUID = 1L;

    private final transient PeerGateway gateway;

    @Activate
    public PaidServlet(@Reference PeerGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PeerServlet.write(resp, route(gateway, req.getPathInfo(), req.getHeader("X-IOTPAY-Voucher"),
                req.getHeader("X-IOTPAY-Certificate")));
    }

    /** Routing with the consumer's certificate header (peer trust), shared with the tests' JDK server. */
    public static HttpReply route(PeerGateway gateway, String pathInfo, String voucherHeader,
            String certificateHeader) {
        String p = pathInfo == null ? "" : pathInfo;
        if (p.length() < 2 || p.indexOf('/', 1) >= 0) {
            return HttpReply.problem(404, "NOT_FOUND", "expected /iotpay/paid/<offerId>");
        }
        try {
            return gateway.paid(p.substring(1), voucherHeader, certificateHeader);
        } catch (IllegalStateException e) {
            return HttpReply.problem(503, "UNAVAILABLE", e.getMessage());
        }
    }
}
