package io.iotpay.web.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
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

/**
 * {@code GET /iotpay/api/status}: a small JSON document telling whether IOTPAY is up, its version, and which IOTPAY
 * services are registered right now. Operators and the integration tests use it to see hot-swapped bundles come and
 * go without a restart.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(StatusServlet.PATH)
@HttpWhiteboardServletName("iotpay-status")
public final class StatusServlet extends HttpServlet {

    /** Where the servlet is mounted. */
    public static final String PATH = "/iotpay/api/status";

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient ServiceCatalog catalog;

    /**
     * @param catalog what IOTPAY services are registered
     */
    @Activate
    public StatusServlet(@Reference ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "IOTPAY");
        body.put("status", "UP");
        body.put("version", catalog.version());
        body.put("services", catalog.registeredServices());
        body.put("chains", catalog.chains());
        body.put("components", catalog.components());
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
